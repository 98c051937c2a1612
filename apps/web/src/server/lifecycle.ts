import type { Logger } from "pino";

/** Thrown at a start-up checkpoint when a stop signal arrived while Vigil was starting. */
export class StartInterrupted extends Error {
  override name = "StartInterrupted";
}

export type Lifecycle = {
  /** Registers what to undo on stop; steps run in reverse order of registration. */
  onStop(step: () => Promise<void>): void;
  /**
   * What to stop while the server still serves, before requests are drained: processes that
   * talk to this server on their way out (the demo fleet deregisters and flushes).
   */
  beforeDrain(step: () => Promise<void>): void;
  /** Between start-up steps: throws StartInterrupted when a stop was requested meanwhile. */
  checkpoint(): void;
  /** Start-up is done; a stop now drains through `drain`, then runs the steps. */
  serving(drain: () => Promise<void>): void;
  /** True from the first stop signal on (readiness turns 503). */
  stopping(): boolean;
  /** After a failed or interrupted start: undo what was started, then exit with `code`. */
  abort(code: number): Promise<never>;
};

/**
 * The process's stop handling, installed before anything starts: a SIGTERM or SIGINT at any
 * moment stops what was started (the embedded database last), never leaving it orphaned.
 * A second signal exits at once.
 */
export function createLifecycle(
  log: Logger,
  host: {
    onSignal(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
    exit(code: number): never;
  } = {
    onSignal: (signal, handler) => process.on(signal, handler),
    exit: (code) => process.exit(code),
  },
): Lifecycle {
  const steps: (() => Promise<void>)[] = [];
  const early: (() => Promise<void>)[] = [];
  let signal: string | null = null;
  let drain: (() => Promise<void>) | null = null;

  const undo = async () => {
    for (const step of [...early.splice(0).reverse(), ...steps.splice(0).reverse()]) {
      await step().catch((error: unknown) => log.error({ err: error }, "shutdown step failed"));
    }
  };
  const stop = async () => {
    log.info({ signal }, "shutting down: draining requests");
    for (const step of early.splice(0).reverse())
      await step().catch((error: unknown) => log.error({ err: error }, "shutdown step failed"));
    await drain?.();
    await undo();
    log.info("stopped");
    host.exit(0);
  };
  const onSignal = (name: string) => {
    if (signal) {
      log.warn({ signal: name }, "second signal: exiting now");
      host.exit(1);
    }
    signal = name;
    if (drain) void stop(); // while starting, the next checkpoint notices
  };
  host.onSignal("SIGTERM", () => onSignal("SIGTERM"));
  host.onSignal("SIGINT", () => onSignal("SIGINT"));

  return {
    onStop: (step) => {
      steps.push(step);
    },
    beforeDrain: (step) => {
      early.push(step);
    },
    checkpoint: () => {
      if (signal) throw new StartInterrupted(`${signal} during start-up`);
    },
    serving: (drainRequests) => {
      drain = drainRequests;
      if (signal) void stop();
    },
    stopping: () => signal !== null,
    abort: async (code) => {
      await undo();
      host.exit(code);
    },
  };
}
