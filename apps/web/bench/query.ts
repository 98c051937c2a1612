// bench:query — dashboard and trace queries over ≥ 10 M metric points and ≥ 10 M spans (P5, P6).
// Data is generated inside PostgreSQL, then rolled up by the same job the leader runs; each query
// is timed through the domain functions the pages and the read API use, beside a same-run
// baseline (the same chart from raw points; the same attribute search without its index).
import { parseArgs } from "node:util";
import { closeDatabase, connectDatabase, db } from "@vigil/db";
import { ensureDatabase, runSql } from "@vigil/db/embedded";
import { migrate } from "@vigil/db/migrations";
import { attachShards } from "@vigil/db/shards";
import { compactSpans, noteSearchedKeys, queryMetric, searchTraces } from "@vigil/db/telemetry";
import { seedSpans, syntheticTraceId } from "@vigil/db/testing/synthetic";
import pg from "pg";
import { projectOverview } from "../src/domain/overview/overview.ts";
import { windowFor } from "../src/domain/overview/time-range.ts";
import { histogramQuantile } from "../src/domain/telemetry/percentile.ts";
import { findTraces } from "../src/domain/telemetry/trace-search.ts";
import { ensureDefaultProject } from "../src/domain/tenancy/projects.ts";
import { getTrace } from "../src/domain/traces/get-trace.ts";
import { benchDatabase, fmt, timed } from "./harness.ts";
import { HOUR, MINUTE, seedMetricDay } from "./metric-day.ts";

const { values: args } = parseArgs({
  options: {
    services: { type: "string", default: "10" },
    instances: { type: "string", default: "3" },
    traces: { type: "string", default: "2000000" },
    runs: { type: "string", default: "40" },
    // To measure again without seeding again: --keep with DATABASE_URL leaves the database in
    // place and prints its URL; --database URL measures that database as it is.
    keep: { type: "boolean", default: false },
    database: { type: "string" },
    // Telemetry spread over this many shards (databases on the same server, attached as
    // VIGIL_SHARDS attaches them); the seed is written through the coordinator.
    shards: { type: "string", default: "0" },
  },
});
const runs = Number(args.runs);
const MS = 1_000_000n;
const log = (line: string) => process.stdout.write(`${line}\n`);

const row = (name: string, r: { p50: number; p95: number }, extra = "") =>
  log(`| ${name} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} |${extra ? ` ${extra} |` : ""}`);

async function main() {
  const store = await benchDatabase(args.database);
  try {
    await migrate({ connectionString: store.url });
    const shardUrls = await withShards(store.url, Number(args.shards));
    connectDatabase(store.url, { maxConnections: 8 });
    const { pool } = db();
    const { projectId } = await ensureDefaultProject();
    const seeded = await pool.query<{ from: string; to: string; points: string; spans: string }>(
      `SELECT min(time_ns)::text AS from, (max(time_ns) + 10000000000)::text AS to,
              count(*)::text AS points,
              ((SELECT count(*) FROM span) + (SELECT coalesce(sum(cardinality(span_ids)), 0) FROM span_chunk))::text AS spans
         FROM metric_point`,
    );
    const existing = seeded.rows[0];
    if (existing?.from) {
      const fromNs = BigInt(existing.from);
      await measure(
        projectId,
        fromNs,
        fromNs + 24n * HOUR,
        Number(existing.points),
        Number(existing.spans),
        store.url,
      );
      return;
    }
    const { fromNs, toNs, points } = await seedMetricDay(
      pool,
      projectId,
      { services: Number(args.services), instances: Number(args.instances) },
      log,
    );

    // Spans, of a project that has searched by app.user.id since before the window: the UI
    // records a search's keys, and spans written since carry their hashes. The index over them
    // is built after the load, as a restore would.
    await noteSearchedKeys(pool, projectId, ["app.user.id"]);
    await pool.query(
      "UPDATE span_search_key SET first_searched = to_timestamp($2::float8 / 1e9 - 3600) WHERE project_id = $1",
      [projectId, fromNs.toString()],
    );
    await pool.query("DROP INDEX span_search_idx");
    let started = performance.now();
    const traces = Number(args.traces);
    const spans = await seedSpans(
      pool,
      projectId,
      { fromNs, toNs, traces, spansPerTrace: 5, users: 100_000 },
      (done, total) => {
        if (done % 400_000 === 0) log(`seed: spans, trace ${fmt(done)}/${fmt(total)}`);
      },
    );
    log(
      `seed: ${fmt(spans)} spans in ${fmt(traces)} traces, ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );
    started = performance.now();
    await pool.query(
      `CREATE INDEX span_search_idx ON span USING gin (search_hashes) WHERE search_hashes IS NOT NULL`,
    );
    log(`seed: span search index built in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    // The compaction job packs every settled hour (all but the last), as the leader would have.
    started = performance.now();
    let packed = 0;
    for (;;) {
      const done = await compactSpans(pool, { limit: 24 });
      packed += done.spans;
      if (done.hours === 0) break;
    }
    const left = (await pool.query<{ n: string }>("SELECT count(*) AS n FROM span")).rows[0]?.n;
    log(
      `compaction: ${fmt(packed)} spans packed in ${((performance.now() - started) / 1000).toFixed(0)} s, ${fmt(Number(left))} recent ones left as rows`,
    );
    await pool.query("VACUUM ANALYZE");
    for (const url of shardUrls) await runSql(url, "VACUUM ANALYZE");
    // The seed's dirty pages go to disk before the clock starts: the queries are measured, not
    // the write-back of 20 M rows (a run without this saw 70 % I/O wait and P6 10× slower).
    await pool.query("CHECKPOINT");
    await measure(projectId, fromNs, toNs, points, spans, store.url);
  } finally {
    await closeDatabase();
    if (args.keep) log(`kept: --database ${store.url}`);
    else await store.stop();
  }
}

/** Shard databases beside the store's, attached to it; their URLs. */
async function withShards(url: string, shards: number): Promise<string[]> {
  if (shards === 0) return [];
  const name = new URL(url).pathname.slice(1);
  const urls: string[] = [];
  for (let i = 0; i < shards; i++) {
    const shard = new URL(url);
    shard.pathname = `/${name}_s${i}`;
    await ensureDatabase(url, `${name}_s${i}`);
    urls.push(shard.toString());
  }
  await attachShards(url, urls);
  log(`telemetry spread over ${shards} shards (databases on the same server)`);
  return urls;
}

async function measure(
  projectId: string,
  fromNs: bigint,
  toNs: bigint,
  points: number,
  spans: number,
  url: string,
) {
  const { pool } = db();
  const traces = Number(args.traces);
  {
    const name = "http.server.request.duration";
    const chart = (resolution?: 0 | 60) => async () => {
      const result = await queryMetric(pool, projectId, {
        name,
        fromNs,
        toNs,
        stepNs: MINUTE,
        resolution,
      });
      // Everything a chart with avg, p50, p95 and p99 per minute needs.
      return result.buckets.map((b) => ({
        avg: b.count ? (b.sum ?? 0) / b.count : null,
        p50: b.bounds && b.counts ? histogramQuantile(0.5, b.bounds, b.counts.map(Number)) : null,
        p95: b.bounds && b.counts ? histogramQuantile(0.95, b.bounds, b.counts.map(Number)) : null,
        p99: b.bounds && b.counts ? histogramQuantile(0.99, b.bounds, b.counts.map(Number)) : null,
      }));
    };
    const chartPoints = (
      await pool.query<{ n: string }>(
        `SELECT count(*) AS n FROM metric_point p JOIN metric_series ms ON ms.project_id = p.project_id AND ms.id = p.series_id
        WHERE p.project_id = $1 AND ms.name = $2`,
        [projectId, name],
      )
    ).rows[0]?.n;

    log("");
    log(`| query (${fmt(points)} points, ${fmt(spans)} spans) | p50 ms | p95 ms | |`);
    log("|---|---|---|---|");
    const fromRollups = await timed(chart(), runs);
    const fromRaw = await timed(chart(0), 3);
    row(
      `P5: 24 h chart of ${name}, avg/p50/p95/p99 per minute (${fmt(Number(chartPoints))} raw points, ${fromRollups.last.length} steps), from minute rollups`,
      fromRollups,
      `target p95 ≤ 100 ms`,
    );
    row(
      "baseline: the same chart from raw points",
      fromRaw,
      `rollups ${(fromRaw.p50 / fromRollups.p50).toFixed(0)}× faster`,
    );
    const byService = await timed(
      async () =>
        queryMetric(pool, projectId, {
          name,
          service: "svc-3",
          groupBy: "http.route",
          fromNs,
          toNs,
          stepNs: MINUTE,
        }),
      runs,
    );
    row("24 h chart, one service, grouped by http.route", byService);
    const overview24 = await timed(
      () => projectOverview(projectId, windowFor("24h")),
      Math.ceil(runs / 4),
    );
    row("overview page queries, 24 h", overview24);
    const overview1 = await timed(
      () => projectOverview(projectId, windowFor("1h")),
      Math.ceil(runs / 4),
    );
    row("overview page queries, 1 h", overview1);

    let n = 0;
    const byId = await timed(
      async () => getTrace(projectId, syntheticTraceId((n++ * 7919) % traces)),
      runs * 5,
    );
    row(`P6: trace by id among ${fmt(spans)} spans`, byId, "target p95 ≤ 20 ms");
    const from = String(fromNs / MS);
    const to = String(toNs / MS);
    let user = 0;
    const search = await timed(
      () =>
        findTraces(projectId, {
          from,
          to,
          "attr.app.user.id": `user-${(user++ * 104_729) % 100_000}`,
          limit: "20",
        }),
      runs,
    );
    row(
      `P6: attribute search over 24 h (app.user.id=…, ${search.last.traces.length} traces found)`,
      search,
      "target p95 ≤ 500 ms",
    );
    const unindexed = new pg.Pool({
      connectionString: url,
      max: 1,
      options: "-c enable_bitmapscan=off -c enable_indexscan=off",
    });
    try {
      const baseline = await timed(
        () =>
          searchTraces(unindexed, projectId, {
            fromNs,
            toNs,
            attributes: { "app.user.id": `user-${user++}` },
            limit: 20,
          }),
        3,
      );
      row(
        "baseline: the same search without the attribute index",
        baseline,
        `index ${(baseline.p50 / search.p50).toFixed(0)}× faster`,
      );
    } finally {
      await unindexed.end();
    }
  }
}

await main();
