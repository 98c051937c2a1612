import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, connectDatabase, type Database } from "../client.ts";
import { dependencyEdges } from "../telemetry/read/dependencies.ts";
import { spanSource } from "../telemetry/read/span-source.ts";
import { spansOfTrace } from "../telemetry/read/trace-by-id.ts";
import { compactMetrics } from "../telemetry/rollup/compaction.ts";
import { applyRetention } from "../telemetry/rollup/retention.ts";
import { rollUpPending } from "../telemetry/rollup/rollups.ts";
import { compactSpans } from "../telemetry/rollup/span-compaction.ts";
import { writeMetricPoints } from "../telemetry/write/metric-writer.ts";
import { resolveService } from "../telemetry/write/services.ts";
import { writeSpans } from "../telemetry/write/span-writer.ts";
import { createTestDatabase, type TestDatabase } from "../testing/index.ts";
import { newProject, newSeries, pointOf } from "../testing/metric-fixtures.ts";
import { spanOf } from "../testing/span-fixtures.ts";
import { shardServers } from "./catalog.ts";
import { onShard } from "./remote.ts";
import { shardOfTraceSql } from "./tables.ts";

// A coordinator and two shards (databases on the test server), attached as `npm start` attaches
// VIGIL_SHARDS: one project's spans and points spread over both, a trace stays on one, and the
// background work runs where the rows are.

const HOUR = 3_600_000_000_000n;
const T0 = BigInt(Date.UTC(2026, 10, 20, 10)) * 1_000_000n;
const hex = (bytes: number) => randomBytes(bytes).toString("hex");

let testDb: TestDatabase;
let database: Database;
let shards: pg.Pool[];

beforeAll(async () => {
  testDb = await createTestDatabase({ shards: 2 });
  database = connectDatabase(testDb.url, { maxConnections: 5 });
  shards = testDb.shardUrls.map((url) => new pg.Pool({ connectionString: url, max: 2 }));
});
afterAll(async () => {
  await Promise.all(shards.map((shard) => shard.end()));
  await closeDatabase();
  await testDb.drop();
});

/** Each shard's answer to `sql`, as numbers or strings per row. */
const onEach = (sql: string, params: unknown[] = []) =>
  Promise.all(shards.map(async (shard) => (await shard.query(sql, params)).rows));

describe("telemetry over two shards", () => {
  let projectId: string;
  const traces: string[] = [];

  beforeAll(async () => {
    projectId = await newProject(database);
    const ref = await resolveService(database.pool, projectId, {
      name: "shop",
      environment: "",
      instance: "a",
      version: "",
      host: "",
      attributes: {},
    });
    const spans = [];
    for (let i = 0; i < 200; i++) {
      const traceId = hex(16);
      traces.push(traceId);
      for (let j = 0; j < 3; j++) {
        spans.push(
          spanOf(projectId, ref, {
            traceId,
            spanId: hex(8),
            startNs: T0 + BigInt(i) * 1_000_000_000n + BigInt(j),
            name: `op-${j}`,
          }),
        );
      }
    }
    expect(await writeSpans(database.pool, spans)).toBe(600);
    const points = [];
    for (let s = 0; s < 40; s++) {
      const series = await newSeries(database, projectId, {
        name: "queue.depth",
        type: 1,
        attributes: { queue: `q${s}` },
      });
      for (let k = 0; k < 10; k++) {
        points.push(
          pointOf(series, { timeNs: T0 + BigInt(k) * 10_000_000_000n, startNs: 0n }, { value: k }),
        );
      }
    }
    expect(await writeMetricPoints(database.pool, points)).toBe(400);
  });

  it("spreads one project's spans by trace and its points by series over both shards", async () => {
    const spans = await onEach(
      "SELECT replace(trace_id::text, '-', '') AS trace, count(*)::int AS n FROM span WHERE project_id = $1 GROUP BY 1",
      [projectId],
    );
    const [first, second] = spans.map((rows) => new Set(rows.map((row) => row.trace as string)));
    expect(first?.size).toBeGreaterThan(50);
    expect(second?.size).toBeGreaterThan(50);
    expect((first?.size ?? 0) + (second?.size ?? 0)).toBe(200);
    expect([...(first ?? [])].filter((trace) => second?.has(trace))).toEqual([]); // a trace on one
    expect(spans.flat().every((row) => row.n === 3)).toBe(true);
    // PostgreSQL's hash placement, as readers compute it, agrees with where every trace went.
    const computed = await database.pool.query<{ trace: string; shard: number }>(
      `SELECT replace(t::text, '-', '') AS trace, ${shardOfTraceSql("t", 2)} AS shard FROM unnest($1::uuid[]) t`,
      [traces],
    );
    for (const { trace, shard } of computed.rows) {
      expect(spans[shard]?.some((row) => row.trace === trace)).toBe(true);
    }
    const points = await onEach(
      "SELECT series_id, count(*)::int AS n FROM metric_point WHERE project_id = $1 GROUP BY 1",
      [projectId],
    );
    expect(points.map((rows) => rows.length > 5)).toEqual([true, true]);
    expect(points.flat().reduce((sum, row) => sum + row.n, 0)).toBe(400);
    // The coordinator keeps none of them itself.
    const local = await database.pool.query(
      "SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE 'span_d20261120%' AND relkind = 'r'",
    );
    expect(local.rows[0].n).toBe(0);
  });

  it("reads a trace by id on the one shard that holds it, before and after packing", async () => {
    const traceId = traces[7] ?? "";
    const before = await spansOfTrace(database.pool, projectId, traceId);
    expect(before.map((span) => span.name)).toEqual(["op-0", "op-1", "op-2"]);
    const plan = await database.pool.query(
      "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM span WHERE project_id = $1 AND trace_id = $2",
      [projectId, traceId],
    );
    const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
    expect(text.match(/Foreign Scan on span_d20261120_s\d/g)).toHaveLength(1);

    const packed = await compactSpans(database.pool, { nowNs: T0 + 3n * HOUR });
    expect(packed).toMatchObject({ hours: 1, spans: 600 });
    // Packed where the rows were: each shard's chunks hold only its own traces, and their seq
    // names the shard.
    const chunks = await onEach(
      "SELECT seq, array_agg(DISTINCT replace(t::text, '-', '')) AS traces FROM span_chunk, unnest(trace_ids) t WHERE project_id = $1 GROUP BY seq",
      [projectId],
    );
    for (const [shard, rows] of chunks.entries()) {
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.seq % 2).toBe(shard);
    }
    expect(chunks.flatMap((rows) => rows.flatMap((row) => row.traces)).sort()).toEqual(
      [...traces].sort(),
    );
    expect(await onEach("SELECT count(*)::int AS n FROM span")).toEqual([[{ n: 0 }], [{ n: 0 }]]);
    for (const id of [traceId, traces[0] ?? "", traces[199] ?? ""]) {
      const after = await spansOfTrace(database.pool, projectId, id);
      expect(after.map((span) => span.name)).toEqual(["op-0", "op-1", "op-2"]);
    }
    // The reader's own source reads the packed hours on the same shard, unpacked there: only
    // the trace's 3 spans cross to the coordinator, not the chunk.
    const chunkPlan = await database.pool.query(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM ${spanSource({
        project: "$1",
        columns: ["trace_id", "name"],
        traces: "ARRAY[$2::uuid]",
        shards: 2,
        shardOfTrace: "$2::uuid",
      })} s`,
      [projectId, traceId],
    );
    const scanned = chunkPlan.rows
      .map((row) => row["QUERY PLAN"] as string)
      .filter(
        (line) => /Foreign Scan on span_chunk_spans_s\d/.test(line) && !/never executed/.test(line),
      );
    expect(scanned).toHaveLength(1);
    expect(scanned[0]).toMatch(/rows=3(\.00)? /);
    expect(scanned).toHaveLength(1);
  });

  it("rolls up minutes on the shards, where the points are: only merged rows cross", async () => {
    // The coordinator's own way to the day's points is cut: a rollup that read the points
    // through its foreign partitions would fail.
    const day = "metric_point_d20261120";
    const route = (k: number, table: string) =>
      database.pool.query(`ALTER FOREIGN TABLE ${day}_s${k} OPTIONS (SET table_name '${table}')`);
    for (const k of [0, 1]) await route(k, "no_such_table");
    try {
      const done = await rollUpPending(database.pool, { nowNs: T0 + HOUR });
      expect(done).toEqual({ minutes: 2, hours: 1 });
    } finally {
      for (const k of [0, 1]) await route(k, day);
    }
    const { rows } = await database.pool.query(
      `SELECT bucket_ns::text AS minute, count(*)::int AS series, sum(points)::int AS points,
              sum(value_sum)::float8 AS total
         FROM metric_rollup WHERE project_id = $1 AND resolution = 60 GROUP BY 1 ORDER BY 1`,
      [projectId],
    );
    // Points k = 0…9 of each of the 40 series, 10 s apart with value k: 0…5 in the first minute.
    expect(rows).toEqual([
      { minute: String(T0), series: 40, points: 240, total: 40 * 15 },
      { minute: String(T0 + 60_000_000_000n), series: 40, points: 160, total: 40 * 30 },
    ]);
  });

  it("finds who calls whom on each shard, where a call's two spans are", async () => {
    // web → api (10 % failed, i ms) → postgresql, in 100 traces of another project.
    const shop = await newProject(database);
    const service = (name: string) =>
      resolveService(database.pool, shop, {
        name,
        environment: "",
        instance: "a",
        version: "",
        host: "",
        attributes: {},
      });
    const [web, api] = [await service("web"), await service("api")];
    const spans = [];
    for (let i = 1; i <= 100; i++) {
      const traceId = hex(16);
      const [root, call] = [hex(8), hex(8)];
      const startNs = T0 + 2n * HOUR + BigInt(i) * 1_000_000_000n;
      spans.push(
        spanOf(shop, web, { traceId, spanId: root, startNs, kind: 2 }),
        spanOf(shop, api, {
          traceId,
          spanId: call,
          parentSpanId: root,
          startNs,
          kind: 2,
          durationNs: BigInt(i) * 1_000_000n,
          statusCode: i % 10 === 0 ? 2 : 0,
        }),
        spanOf(shop, api, {
          traceId,
          parentSpanId: call,
          startNs,
          kind: 3,
          attributes: { "db.system.name": "postgresql" },
        }),
      );
    }
    expect(await writeSpans(database.pool, spans)).toBe(300);
    // The coordinator's own way to the day's spans is cut: a join through its foreign
    // partitions would fail (and, with real volumes, fetch a remote scan per span).
    const day = "span_d20261120";
    const route = (k: number, table: string) =>
      database.pool.query(`ALTER FOREIGN TABLE ${day}_s${k} OPTIONS (SET table_name '${table}')`);
    for (const k of [0, 1]) await route(k, "no_such_table");
    let edges: Awaited<ReturnType<typeof dependencyEdges>>;
    try {
      edges = await dependencyEdges(database.pool, shop, {
        fromNs: T0 + 2n * HOUR,
        toNs: T0 + 3n * HOUR,
      });
    } finally {
      for (const k of [0, 1]) await route(k, day);
    }
    expect(
      edges.map(({ caller, callee, kind, calls, errors }) => ({
        caller,
        callee,
        kind,
        calls,
        errors,
      })),
    ).toEqual([
      { caller: "api", callee: "postgresql", kind: "database", calls: 100, errors: 0 },
      { caller: "web", callee: "api", kind: "service", calls: 100, errors: 10 },
    ]);
    const call = edges[1];
    expect(call?.avgMs).toBeCloseTo(50.5, 6); // each shard's mean, weighted by its calls: exact
    // Each shard's p95, weighted: an estimate of the exact 95.05 ms from two random halves.
    expect(call?.p95Ms).toBeGreaterThan(85);
    expect(call?.p95Ms).toBeLessThanOrEqual(100);
  });

  it("packs points on their shards and drops old days on every shard", async () => {
    const packed = await compactMetrics(database.pool, { nowNs: T0 + 3n * HOUR });
    expect(packed).toEqual({ hours: 1, series: 40 });
    const chunks = await onEach(
      "SELECT count(*)::int AS n, sum(cardinality(times))::int AS points FROM metric_chunk WHERE project_id = $1",
      [projectId],
    );
    expect(chunks.map((rows) => rows[0].n > 0)).toEqual([true, true]);
    expect(chunks.reduce((sum, rows) => sum + rows[0].points, 0)).toBe(400);

    const result = await applyRetention(database.pool, Number(T0 / 1_000_000n) + 30 * 86_400_000);
    expect(result.droppedPartitions).toEqual(
      expect.arrayContaining(["span_d20261120", "metric_point_d20261120", "span_chunk_d20261120"]),
    );
    expect(
      await onEach("SELECT count(*)::int AS n FROM pg_class WHERE relname LIKE '%_d20261120'"),
    ).toEqual([[{ n: 0 }], [{ n: 0 }]]);
  });
});

describe("a statement sent to a shard", () => {
  it("gives up on the shard when the caller's statement_timeout passes", async () => {
    // The coordinator, waiting on dblink, does not see its own timeout until the shard answers:
    // without the shard's own, this would wait out the shard's ten minutes.
    const client = await database.pool.connect();
    try {
      await client.query("SET statement_timeout = 300");
      const [server] = await shardServers(client);
      const error = await onShard(client, server ?? "", "SELECT pg_sleep(600)", [], "x text").then(
        () => null,
        (failure: unknown) => failure as pg.DatabaseError,
      );
      expect(error?.message).toBe("canceling statement due to statement timeout");
      const sleeping = await onEach(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%SELECT pg_sleep(600)'",
      );
      expect(sleeping.map((rows) => rows[0].n)).toEqual([0, 0]);
    } finally {
      await client.query("RESET statement_timeout");
      client.release();
    }
  });
});
