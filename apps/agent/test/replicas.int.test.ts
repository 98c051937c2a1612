import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ReplicatedPair, startReplicatedPair } from "@vigil/db/embedded";
import { replicaLag } from "@vigil/db/telemetry";
import { setupIngest } from "@vigil/web/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentEnv, ns, pool } from "./control-plane.ts";
import { eventually, type RunningService, startService } from "./helpers.ts";

const plane = setupIngest();
let pair: ReplicatedPair;
let primary: pg.Pool;
let replica: pg.Pool;
let service: RunningService;
let started: number;

/** The latest lag per side for replica-1, once both sides have reported. */
const lag = async () => {
  const rows = await replicaLag(pool(), plane.projectId, {
    fromNs: ns(started),
    toNs: ns(Date.now() + 1000),
  });
  const side = (source: string) =>
    rows.find((row) => row.replica === "replica-1" && row.source === source);
  const fromPrimary = side("primary");
  const fromReplica = side("replica");
  return fromPrimary && fromReplica ? { fromPrimary, fromReplica } : undefined;
};

beforeAll(async () => {
  pair = await startReplicatedPair(await mkdtemp(join(tmpdir(), "vigil-replica-")));
  primary = new pg.Pool({ connectionString: pair.primary.adminUrl, max: 2 });
  replica = new pg.Pool({ connectionString: pair.replica.adminUrl, max: 2 });
  // Stopping the pair at the end terminates the pools' idle connections (57P01, "terminating
  // connection due to administrator command"); any other error is a real failure.
  for (const pool of [primary, replica])
    pool.on("error", (error) => {
      if ((error as { code?: string }).code !== "57P01") throw error;
    });
  await eventually(async () => {
    const { rows } = await primary.query(
      "SELECT 1 FROM pg_stat_replication WHERE application_name = $1 AND state = 'streaming'",
      [pair.replicaName],
    );
    return rows.length === 1 ? true : undefined;
  }, "the replica to stream from the primary");
  await primary.query("CREATE TABLE events (id serial PRIMARY KEY, body text)");
  started = Date.now();
  service = await startService({
    ...agentEnv(plane, "ledger"),
    FIXTURE_PG_PRIMARY: pair.primary.adminUrl,
    FIXTURE_PG_REPLICA: pair.replica.adminUrl,
  });
});
afterAll(async () => {
  await service?.stop("SIGKILL");
  // The servers stop first: the pools' idle connections then end with 57P01, which the pools
  // report as the expected error above, instead of a close racing the shutdown.
  await pair?.stop();
  await primary?.end();
  await replica?.end();
});

describe("the throwaway pair (the demo shop's databases)", () => {
  it("commits without waiting for the disk, so a busy disk cannot stall the shop's writes", async () => {
    const { rows } = await primary.query<{ synchronous_commit: string }>("SHOW synchronous_commit");
    expect(rows[0]?.synchronous_commit).toBe("off");
  });
});

describe("replica lag from a real primary and streaming replica", () => {
  it("is about zero from both sides while the primary is idle", async () => {
    const idle = await eventually(async () => {
      const now = await lag();
      return now && now.fromReplica.bytes === 0 && now.fromPrimary.bytes === 0 ? now : undefined;
    }, "lag reports from both sides with the replica caught up");
    expect(idle.fromReplica.seconds).toBe(0);
    expect(idle.fromPrimary.seconds).toBeLessThan(1);
  });

  it("grows on both sides while the replica's replay is paused, and recovers after", async () => {
    await replica.query("SELECT pg_wal_replay_pause()");
    const inserts: Promise<unknown>[] = [];
    const writes = setInterval(() => {
      inserts.push(
        primary.query(
          "INSERT INTO events (body) SELECT repeat('x', 1000) FROM generate_series(1, 50)",
        ),
      );
    }, 100);
    try {
      const behind = await eventually(async () => {
        const now = await lag();
        return now &&
          (now.fromReplica.seconds ?? 0) >= 1.5 &&
          (now.fromReplica.bytes ?? 0) > 0 &&
          (now.fromPrimary.bytes ?? 0) > 0
          ? now
          : undefined;
      }, "lag to grow while replay is paused");
      // …and keeps growing while replay stays paused.
      const further = await eventually(async () => {
        const now = await lag();
        return now &&
          (now.fromReplica.seconds ?? 0) >= (behind.fromReplica.seconds ?? 0) + 0.5 &&
          (now.fromReplica.bytes ?? 0) > (behind.fromReplica.bytes ?? 0) &&
          (now.fromPrimary.bytes ?? 0) > (behind.fromPrimary.bytes ?? 0)
          ? now
          : undefined;
      }, "lag to keep growing");
      expect(further.fromReplica.bytes).toBeGreaterThan(50_000);
      expect(further.fromPrimary.bytes).toBeGreaterThan(50_000);
    } finally {
      clearInterval(writes);
      await Promise.all(inserts);
      await replica.query("SELECT pg_wal_replay_resume()");
    }
    const caughtUp = await eventually(async () => {
      const now = await lag();
      return now && now.fromReplica.bytes === 0 && now.fromReplica.seconds === 0 ? now : undefined;
    }, "the replica to catch up after replay resumes");
    expect(caughtUp.fromReplica.seconds).toBe(0);
  });
});
