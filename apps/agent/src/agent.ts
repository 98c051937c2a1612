import type { Instrumentation } from "@opentelemetry/instrumentation";
import type { AgentSettings } from "./config.ts";
import { attachProbes, detachProbes } from "./probes/attach.ts";
import { Problems } from "./problems.ts";
import { type HealthStatus, Registration } from "./registry/registration.ts";
import { startTelemetry } from "./telemetry/sdk.ts";

export type VigilHandle = {
  /** False when the options were unusable and the agent does nothing. */
  readonly active: boolean;
  /** Reports the service's own health on its registry check, e.g. ("warning", "cache cold"). */
  readonly health: { set(status: HealthStatus, output?: string): void };
  /** Flushes what is buffered, deregisters and stops; safe to call more than once. */
  shutdown(): Promise<void>;
};

export const inactive: VigilHandle = {
  active: false,
  health: { set: () => {} },
  shutdown: async () => {},
};

const SHUTDOWN_LIMIT_MS = 5_000;

/** Starts telemetry export, the registry entry and any probes; returns the running agent. */
export function runAgent(
  settings: AgentSettings,
  instrumentations: Instrumentation[],
  version: string,
  warn: (message: string) => void,
): VigilHandle {
  const problems = new Problems(warn);
  const telemetry = startTelemetry(settings, instrumentations, version, problems);
  attachProbes(telemetry.meter());
  const registration = settings.register ? new Registration(settings, problems) : null;
  registration?.start();

  let stopping: Promise<void> | null = null;
  const handle: VigilHandle = {
    active: true,
    health: {
      set(status, output) {
        if (status === "passing" || status === "warning" || status === "critical")
          registration?.setHealth(status, output ?? "");
        else warn(`[vigil] health.set: status must be passing, warning or critical, not ${status}`);
      },
    },
    shutdown() {
      stopping ??= withLimit(
        Promise.allSettled([registration?.stop(), telemetry.shutdown()]).then(() => {
          detachProbes();
        }),
        SHUTDOWN_LIMIT_MS,
      );
      return stopping;
    },
  };
  if (settings.handleSigterm) stopOnSigterm(handle);
  return handle;
}

/** On SIGTERM: flush and deregister, then let the signal do what it would have done. */
function stopOnSigterm(handle: VigilHandle): void {
  process.once("SIGTERM", () => {
    void handle.shutdown().then(() => {
      if (process.listenerCount("SIGTERM") === 0) process.kill(process.pid, "SIGTERM");
    });
  });
}

function withLimit(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}
