import { setupTestDatabase } from "@vigil/db/testing";
import pino from "pino";
import { describe, expect, it, vi } from "vitest";
import { type Job, startScheduler } from "./scheduler.ts";

// Leadership and job runs are awaited, not timed; on a busy CI machine they take a while.
const WAIT = { timeout: 10_000, interval: 20 };

const database = setupTestDatabase();
const log = pino({ level: "silent" });

function countingJob(runs: string[], replica: string): Job {
  return {
    name: "count",
    everyMs: 20,
    run: async () => {
      runs.push(replica);
    },
  };
}

describe("the background-job scheduler", () => {
  it("runs jobs on one replica only, and another takes over when the leader stops", async () => {
    const runs: string[] = [];
    const a = startScheduler({
      connectionString: database.url(),
      jobs: [countingJob(runs, "a")],
      log,
      retryMs: 30,
    });
    await vi.waitFor(() => expect(a.isLeader()).toBe(true), WAIT);
    const b = startScheduler({
      connectionString: database.url(),
      jobs: [countingJob(runs, "b")],
      log,
      retryMs: 30,
    });
    await vi.waitFor(
      () => expect(runs.filter((replica) => replica === "a").length).toBeGreaterThanOrEqual(3),
      WAIT,
    );
    expect(b.isLeader()).toBe(false);
    expect(runs).not.toContain("b");

    await a.stop();
    const runsOfA = runs.filter((replica) => replica === "a").length;
    await vi.waitFor(() => expect(runs).toContain("b"), WAIT);
    expect(b.isLeader()).toBe(true);
    expect(runs.filter((replica) => replica === "a").length).toBe(runsOfA);
    await b.stop();
  });

  it("keeps scheduling after a job fails", async () => {
    let attempts = 0;
    const flaky: Job = {
      name: "flaky",
      everyMs: 10,
      run: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error("first run fails");
      },
    };
    const scheduler = startScheduler({
      connectionString: database.url(),
      jobs: [flaky],
      log,
      retryMs: 30,
    });
    await vi.waitFor(() => expect(attempts).toBeGreaterThanOrEqual(3), WAIT);
    await scheduler.stop();
  });
});
