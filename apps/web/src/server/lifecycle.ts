import type { Logger } from "pino";

/** Thrown at a start-up checkpoint when a stop signal arrived while Vigil was starting. */
export class StartInterrupted extends Error {
  override name = "StartInterrupted";
}

/** A shutdown step this long is logged by name (stopping the demo fleet takes about 3 s). */
const SLOW_STEP_MS = 5000;

type Step = { name: string; run: () => Promise<void> };

export type Lifecycle = {
  /** Registers what to undo on stop, by name; steps run in reverse order of registration. */
  onStop(name: string, step: () => Promise<void>): void;
  /**
   * What to stop while the server still serves, before requests are drained: processes that
   * talk to this server on their way out (the demo fleet deregisters and flushes).
   */
  beforeDrain(name: string, step: () => Promise<void>): void;
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
 * A second signal exits at once, and so does a stop still running after `deadlineMs`
 * (exit code 1, naming the step it was waiting for).
 */
export function createLifecycle(
  log: Logger,
  deadlineMs: number,
  host: {
    onSignal(signal: "SIGTERM" | "SIGINT", handler: () => void): void;
    exit(code: number): never;
  } = {
    onSignal: (signal, handler) => process.on(signal, handler),
    exit: (code) => process.exit(code),
  },
): Lifecycle {
  const steps: Step[] = [];
  const early: Step[] = [];
  let signal: string | null = null;
  let drain: (() => Promise<void>) | null = null;

  let current = "";
  /** Runs a step; one that fails or takes a while is logged by name. */
  const perform = async ({ name, run }: Step) => {
    current = name;
    const started = performance.now();
    await run().catch((error: unknown) =>
      log.error({ err: error, step: name }, "shutdown step failed"),
    );
    const ms = Math.round(performance.now() - started);
    if (ms >= SLOW_STEP_MS) log.warn({ step: name, ms }, "shutdown step was slow");
  };
  const undo = async () => {
    for (const step of [...early.splice(0).reverse(), ...steps.splice(0).reverse()]) {
      await perform(step);
    }
  };
  const stop = async () => {
    log.info({ signal }, "shutting down: draining requests");
    const overrun = setTimeout(() => {
      log.error({ step: current, deadlineMs }, "shutdown overran its deadline: exiting now");
      host.exit(1);
    }, deadlineMs);
    for (const step of early.splice(0).reverse()) await perform(step);
    if (drain) await perform({ name: "drain requests", run: drain });
    await undo();
    clearTimeout(overrun);
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
    onStop: (name, run) => {
      steps.push({ name, run });
    },
    beforeDrain: (name, run) => {
      early.push({ name, run });
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
