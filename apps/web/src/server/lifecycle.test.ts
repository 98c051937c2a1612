import pino from "pino";
import { describe, expect, it } from "vitest";
import { createLifecycle, StartInterrupted } from "./lifecycle.ts";

function harness(deadlineMs = 60_000) {
  const handlers = new Map<string, () => void>();
  const events: string[] = [];
  let exited: (code: number) => void = () => {};
  const exit = new Promise<number>((resolve) => {
    exited = resolve;
  });
  const life = createLifecycle(pino({ level: "silent" }), deadlineMs, {
    onSignal: (signal, handler) => handlers.set(signal, handler),
    // Records the exit instead of ending the test process.
    exit: (code) => {
      events.push(`exit ${code}`);
      exited(code);
      return undefined as never;
    },
  });
  /** A named step that records its run, as onStop and beforeDrain take it. */
  const step = (name: string) =>
    [
      name,
      () => {
        events.push(name);
        return Promise.resolve();
      },
    ] as const;
  const signal = (name: "SIGTERM" | "SIGINT") => handlers.get(name)?.();
  return { life, events, step, signal, exit };
}

describe("the process lifecycle", () => {
  it("stops start-up at the next checkpoint and undoes what was started, in reverse", async () => {
    const { life, events, step, signal } = harness();
    life.onStop(...step("stop database"));
    life.onStop(...step("close pool"));
    signal("SIGINT");
    expect(life.stopping()).toBe(true);
    expect(() => life.checkpoint()).toThrow(StartInterrupted);
    await life.abort(0);
    expect(events).toEqual(["close pool", "stop database", "exit 0"]);
  });

  it("while serving, drains requests first, then undoes, then exits 0", async () => {
    const { life, events, step, signal, exit } = harness();
    life.onStop(...step("stop database"));
    life.onStop(...step("stop jobs"));
    life.serving(step("drain")[1]);
    expect(life.stopping()).toBe(false);
    signal("SIGTERM");
    expect(await exit).toBe(0);
    expect(events).toEqual(["drain", "stop jobs", "stop database", "exit 0"]);
  });

  it("stops what talks to the server before draining it (the demo fleet), and on abort too", async () => {
    const { life, events, step, signal, exit } = harness();
    life.onStop(...step("stop database"));
    life.beforeDrain(...step("stop fleet"));
    life.serving(step("drain")[1]);
    signal("SIGINT");
    expect(await exit).toBe(0);
    expect(events).toEqual(["stop fleet", "drain", "stop database", "exit 0"]);

    const second = harness();
    second.life.onStop(...second.step("stop database"));
    second.life.beforeDrain(...second.step("stop fleet"));
    await second.life.abort(1);
    expect(second.events).toEqual(["stop fleet", "stop database", "exit 1"]);
  });

  it("stops at once when the signal came just before serving began", async () => {
    const { life, events, step, signal, exit } = harness();
    life.onStop(...step("stop database"));
    signal("SIGTERM");
    life.serving(step("drain")[1]);
    expect(await exit).toBe(0);
    expect(events).toEqual(["drain", "stop database", "exit 0"]);
  });

  it("exits 1 on a second signal without waiting", () => {
    const { life, events, signal } = harness();
    life.serving(() => new Promise(() => {})); // a drain that never ends
    signal("SIGTERM");
    signal("SIGINT");
    expect(events).toEqual(["exit 1"]);
  });

  it("exits 1 when the stop overruns its deadline, without waiting for the step that hangs", async () => {
    const { life, events, step, signal, exit } = harness(20);
    life.onStop(...step("stop database"));
    life.onStop("close pool", () => new Promise(() => {})); // a query that never ends
    life.serving(step("drain")[1]);
    signal("SIGTERM");
    expect(await exit).toBe(1);
    expect(events).toEqual(["drain", "exit 1"]);
  });

  it("keeps undoing when one step fails", async () => {
    const { life, events, step } = harness();
    life.onStop(...step("stop database"));
    life.onStop("close pool", () => Promise.reject(new Error("pool already closed")));
    await life.abort(1);
    expect(events).toEqual(["stop database", "exit 1"]);
  });
});
