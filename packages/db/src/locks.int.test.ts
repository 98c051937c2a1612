import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeDatabase, connectDatabase, type Database } from "./client.ts";
import { LeaderLock, withAdvisoryLock } from "./locks.ts";
import { createTestDatabase, type TestDatabase } from "./testing/index.ts";

// Leadership and job runs are awaited, not timed; on a busy CI machine they take a while.
const WAIT = { timeout: 10_000, interval: 20 };

let testDb: TestDatabase;
let database: Database;
beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url);
});
afterAll(async () => {
  await closeDatabase();
  await testDb.drop();
});

describe("LeaderLock", () => {
  it("has one holder at a time, and passes on when released", async () => {
    const a = new LeaderLock("jobs", testDb.url);
    const b = new LeaderLock("jobs", testDb.url);
    const lost: Error[] = [];
    expect(await a.tryAcquire((error) => lost.push(error))).toBe(true);
    expect(await b.tryAcquire((error) => lost.push(error))).toBe(false);
    expect(await a.tryAcquire((error) => lost.push(error))).toBe(true); // still held
    await a.release();
    expect(await b.tryAcquire((error) => lost.push(error))).toBe(true);
    await b.release();
    expect(lost).toEqual([]);
  });

  it("is released by PostgreSQL when the holder's connection dies, and the holder learns it lost", async () => {
    const dying = new LeaderLock("dying", testDb.url);
    const heir = new LeaderLock("dying", testDb.url);
    const lost: Error[] = [];
    expect(await dying.tryAcquire((error) => lost.push(error))).toBe(true);
    await database.pool.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'vigil-leader-dying'",
    );
    expect(await heir.tryAcquire(() => {})).toBe(true);
    expect(await dying.tryAcquire((error) => lost.push(error))).toBe(false);
    expect(lost.length).toBeGreaterThan(0);
    expect(dying.held).toBe(false);
    await heir.release();
  });
});

describe("withAdvisoryLock", () => {
  it("runs work for the same name one at a time", async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const first = withAdvisoryLock("serial", async () => {
      events.push("first:start");
      await gate;
      events.push("first:end");
    });
    await vi.waitFor(() => expect(events).toEqual(["first:start"]), WAIT);
    const second = withAdvisoryLock("serial", async () => {
      events.push("second");
    });
    // The second waits on PostgreSQL's lock; let it queue, then open the gate.
    await vi.waitFor(async () => {
      const waiting = await database.pool.query(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
      );
      expect(waiting.rows[0].n).toBe(1);
    }, WAIT);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(["first:start", "first:end", "second"]);
  });
});
