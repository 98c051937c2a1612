import { shardBalance } from "@vigil/db/telemetry";
import { createTestDatabase, type TestDatabase } from "@vigil/db/testing";
import { setupIngest } from "@vigil/web/testing";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentEnv, ns, pool } from "./control-plane.ts";
import { eventually, type RunningService, startService } from "./helpers.ts";

const plane = setupIngest();
const inserted = { "shard-a": 300, "shard-b": 100 };
const shards: Record<string, TestDatabase> = {};
const bytes: Record<string, number> = {};
let service: RunningService;
let started: number;

beforeAll(async () => {
  for (const [id, rows] of Object.entries(inserted)) {
    shards[id] = await createTestDatabase();
    const client = new pg.Client({ connectionString: shards[id].url });
    await client.connect();
    await client.query("CREATE TABLE orders (id serial PRIMARY KEY, tenant text, total numeric)");
    await client.query(
      "INSERT INTO orders (tenant, total) SELECT 'tenant-' || (i % 7), i FROM generate_series(1, $1) i",
      [rows],
    );
    // Publishes this session's row counts to the statistics the probe reads, without waiting.
    await client.query("SELECT pg_stat_force_next_flush()");
    const size = await client.query("SELECT pg_total_relation_size('orders')::int AS bytes");
    bytes[id] = size.rows[0].bytes;
    await client.end();
  }
  started = Date.now();
  service = await startService({
    ...agentEnv(plane, "orders-api"),
    FIXTURE_SHARDS: JSON.stringify(
      Object.fromEntries(Object.entries(shards).map(([id, db]) => [id, db.url])),
    ),
  });
});
afterAll(async () => {
  await service?.stop("SIGKILL");
  for (const db of Object.values(shards)) await db.drop();
});

describe("shard balance from two real databases", () => {
  it("reports each shard's rows, bytes and requests, and the skew between them", async () => {
    for (const id of ["shard-a", "shard-a", "shard-a", "shard-b"])
      await fetch(`${service.url}/shard?id=${id}`);
    const [store] = await eventually(async () => {
      const stores = await shardBalance(pool(), plane.projectId, {
        fromNs: ns(started),
        toNs: ns(Date.now() + 1000),
      });
      const total = stores[0]?.shards.reduce((sum, shard) => sum + shard.requests, 0);
      return stores[0]?.shards.length === 2 && total === 4 && stores[0].shards[1]?.rows !== null
        ? stores
        : undefined;
    }, "both shards' sizes and the four routed requests");
    expect(store).toEqual({
      store: "orders-db",
      shards: [
        { shard: "shard-a", rows: 300, bytes: bytes["shard-a"], requests: 3 },
        { shard: "shard-b", rows: 100, bytes: bytes["shard-b"], requests: 1 },
      ],
      skew: 1.5,
      cv: 0.5,
      largest: "shard-a",
    });
  });
});
