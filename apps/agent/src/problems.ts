export type ProblemKind = "unreachable" | "key-refused";

/**
 * Reports each kind of trouble once until it clears, so an outage of any length, or a wrong
 * key, is one warning in the service's log rather than one per retry.
 */
export class Problems {
  readonly #warn: (message: string) => void;
  readonly #active = new Set<ProblemKind>();

  constructor(warn: (message: string) => void) {
    this.#warn = warn;
  }

  report(kind: ProblemKind, message: string): void {
    if (this.#active.has(kind)) return;
    this.#active.add(kind);
    this.#warn(`[vigil] ${message}`);
  }

  /** The control plane answered normally: whatever was wrong is over. */
  clear(): void {
    if (this.#active.delete("unreachable"))
      this.#warn("[vigil] the control plane is reachable again");
    this.#active.delete("key-refused");
  }

  /** How a refused or failed call to the control plane is reported. */
  failed(status: number, detail: string): void {
    if (status === 401 || status === 403)
      this.report(
        "key-refused",
        "the control plane refused the key: VIGIL_KEY / `key` must be an ingest key from Settings → API keys",
      );
    else
      this.report(
        "unreachable",
        `cannot reach the control plane (${status ? `HTTP ${status}` : detail}); retrying with backoff, telemetry is buffered within a fixed bound`,
      );
  }
}
