import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, connectDatabase, db } from "./client.ts";
import { type ReplicatedPair, startReplicatedPair } from "./embedded/index.ts";

// DATABASE_READ_URL: reads go to a real streaming replica while it keeps up, to the primary
// while its replay is paused and it falls behind, and back once it has caught up.

let pair: ReplicatedPair;
const switches: string[] = [];

/** Polls `check` (each poll measures the replica afresh) until `done` holds, for up to 60 s. */
async function until(what: string, done: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
  }
}

/** Which server answers `db().reads()` now. */
const readsGoTo = async () =>
  (await db().reads().query<{ standby: boolean }>("SELECT pg_is_in_recovery() AS standby")).rows[0]
    ?.standby
    ? "replica"
    : "primary";

beforeAll(async () => {
  pair = await startReplicatedPair(await mkdtemp(join(tmpdir(), "vigil-reads-")));
  connectDatabase(pair.primary.adminUrl, {
    maxConnections: 2,
    readUrl: pair.replica.adminUrl,
    // checkEveryMs is long: the test measures when it wants, through check().
    readReplica: { maxLagSeconds: 1, checkEveryMs: 3_600_000, onSwitch: (to) => switches.push(to) },
  });
  await db().pool.query(
    "CREATE TABLE orders (id serial PRIMARY KEY, at timestamptz DEFAULT now())",
  );
  await until("the replica to replay the new table", async () => {
    await db().replica?.check();
    return (
      (await db().replica?.pool.query("SELECT to_regclass('orders') AS t"))?.rows[0]?.t !== null
    );
  });
}, 120_000);

afterAll(async () => {
  await closeDatabase();
  // The last test stopped the replica already; stop() deletes both servers' files.
  await pair?.stop();
});

describe("reads with a streaming read replica", () => {
  it("go to the replica while it keeps up", async () => {
    await until("a measurement within the bound", async () => {
      const lag = await db().replica?.check();
      return lag !== null && lag !== undefined && lag.seconds <= 1;
    });
    expect(await readsGoTo()).toBe("replica");
  });

  it("move to the primary while replay is paused and the lag passes the bound, and back after", async () => {
    const replica = db().replica;
    if (!replica) throw new Error("no replica");
    await replica.pool.query("SELECT pg_wal_replay_pause()");
    // Orders keep coming on the primary; the replica receives them but does not apply them.
    await until("the lag to pass one second", async () => {
      await db().pool.query("INSERT INTO orders DEFAULT VALUES");
      return ((await replica.check())?.seconds ?? 0) > 1;
    });
    expect(await readsGoTo()).toBe("primary");
    // What reads see meanwhile is current: the primary's rows, not the paused replica's.
    const [onPrimary, onReplica] = await Promise.all([
      db().reads().query<{ n: number }>("SELECT count(*)::int AS n FROM orders"),
      replica.pool.query<{ n: number }>("SELECT count(*)::int AS n FROM orders"),
    ]);
    expect(onPrimary.rows[0]?.n).toBeGreaterThan(onReplica.rows[0]?.n ?? 0);

    await replica.pool.query("SELECT pg_wal_replay_resume()");
    await until(
      "the replica to catch up",
      async () => ((await replica.check())?.seconds ?? 99) <= 1,
    );
    expect(await readsGoTo()).toBe("replica");
    expect(switches).toEqual(["replica", "primary", "replica"]);
  });

  it("go to the primary while the replica cannot be reached", async () => {
    const replica = db().replica;
    if (!replica) throw new Error("no replica");
    await pair.replica.stop();
    expect(await replica.check()).toBeNull();
    expect(await readsGoTo()).toBe("primary");
  });
});
