import { checkOptions, type VigilOptions } from "./config.ts";

export type { VigilOptions } from "./config.ts";

export type VigilHandle = {
  /** False when the options were unusable and the agent does nothing. */
  readonly active: boolean;
  /** Flushes what is buffered and stops; safe to call more than once. */
  shutdown(): Promise<void>;
};

const noop: VigilHandle = { active: false, shutdown: async () => {} };

/**
 * Starts the agent. With unusable options it warns once and returns a handle that does nothing:
 * it never throws into the service. (Telemetry export and registry heartbeats arrive with the
 * agent issue; this is the package's public surface and build.)
 */
export function startVigil(
  options?: Partial<VigilOptions>,
  warn: (message: string) => void = defaultWarn,
): VigilHandle {
  const checked = checkOptions(options);
  if (!checked.ok) {
    warn(`[vigil] agent disabled: ${checked.problem}`);
    return noop;
  }
  return { active: true, shutdown: async () => {} };
}

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: "VIGIL_AGENT_CONFIG" });
}
