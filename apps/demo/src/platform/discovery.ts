// Finding a service's healthy instances through Vigil's Consul-compatible discovery API, as any
// Consul client would: `GET /v1/health/service/{name}?passing`, kept fresh with blocking queries.

export type Instance = { id: string; address: string; port: number };

type HealthEntry = { Service: { ID: string; Address: string; Port: number } };

export type DiscoveryOptions = {
  /** Vigil's base URL, e.g. http://localhost:3000. */
  endpoint: string;
  /** An ingest key: the registry's token. */
  token: string;
  service: string;
  /** How long one blocking query may wait for a change (Consul's `wait`). */
  waitSeconds?: number;
};

/** The passing instances of one service, refreshed whenever the registry changes. */
export class Discovery {
  #instances: Instance[] = [];
  #index = "0";
  #stopped = false;
  #loop: Promise<void> | null = null;
  #waiters: (() => void)[] = [];
  readonly #options: Required<DiscoveryOptions>;

  constructor(options: DiscoveryOptions) {
    this.#options = { waitSeconds: 30, ...options };
  }

  instances(): readonly Instance[] {
    return this.#instances;
  }

  /** One read; with `block`, waits until the registry moves past the last index seen. */
  async refresh(block = false): Promise<readonly Instance[]> {
    const { endpoint, token, service, waitSeconds } = this.#options;
    const query = new URLSearchParams({ passing: "" });
    if (block) {
      query.set("index", this.#index);
      query.set("wait", `${waitSeconds}s`);
    }
    const response = await fetch(
      `${endpoint}/v1/health/service/${encodeURIComponent(service)}?${query}`,
      {
        headers: { "x-consul-token": token },
      },
    );
    if (!response.ok) throw new Error(`discovery of ${service} answered ${response.status}`);
    this.#index = response.headers.get("x-consul-index") ?? this.#index;
    const entries = (await response.json()) as HealthEntry[];
    // An entry without a port (Consul allows them) is nothing a caller can connect to.
    this.#instances = entries
      .filter((entry) => entry.Service.Port > 0)
      .map((entry) => ({
        id: entry.Service.ID,
        address: entry.Service.Address || "127.0.0.1",
        port: entry.Service.Port,
      }));
    if (this.#instances.length > 0) for (const wake of [...this.#waiters]) wake();
    return this.#instances;
  }

  /**
   * Resolves once there is a passing instance, or after `timeoutMs`: a caller that starts before
   * the service it calls (a fleet coming up) waits for it instead of failing at once.
   */
  whenAny(timeoutMs: number): Promise<void> {
    if (this.#instances.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((waiter) => waiter !== done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.push(done);
    });
  }

  /** Keeps the list fresh in the background until stop(); a failed read is retried after a second. */
  watch(): void {
    if (this.#loop) return;
    this.#loop = (async () => {
      while (!this.#stopped) {
        try {
          await this.refresh(true);
        } catch {
          if (!this.#stopped) await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    })();
  }

  stop(): void {
    this.#stopped = true;
  }
}
