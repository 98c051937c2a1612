import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import { db } from "@vigil/db";
import { compactMetrics, compactSpans } from "@vigil/db/telemetry";
import { fmt, startBenchControlPlane } from "./harness.ts";
import { metricRequests, traceRequests } from "./storage-mix.ts";

// Bytes on disk per span and per metric point: the reference mix (bench/storage-mix.ts) goes
// through the real OTLP ingest path, then the tables are vacuumed and measured with their
// indexes, TOAST and every partition. Spans and metrics are an hour, two hours back, measured as
// ingested (recent rows) and again once the compaction job has packed the hour, which is how
// all but the last hour of a retention period is kept. The baseline is the raw OTLP/JSON the
// mix was sent as.

const { values: args } = parseArgs({
  options: {
    traces: { type: "string", default: "20000" },
    series: { type: "string", default: "1000" },
    rounds: { type: "string", default: "360" },
  },
});
const traces = Number(args.traces);
const series = Number(args.series);
const rounds = Number(args.rounds);
const SPANS_PER_TRACE = 6;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

async function send(url: string, key: string, path: string, bodies: string[]): Promise<void> {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  let next = 0;
  const post = (body: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        `${url}${path}`,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        },
        (res) => {
          let text = "";
          res.on("data", (chunk) => {
            text += chunk;
          });
          res.on("end", () => {
            const partial = /"rejected(Spans|DataPoints)":"?([1-9]\d*)/.exec(text);
            if (res.statusCode !== 200 || partial)
              reject(new Error(`${path} answered ${res.statusCode}: ${text.slice(0, 300)}`));
            else resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < bodies.length) await post(bodies[next++] as string);
    }),
  );
  agent.destroy();
}

/** Bytes of each table (all partitions, indexes and TOAST) whose name matches the patterns. */
async function tableBytes(patterns: string[]): Promise<Map<string, number>> {
  const { rows } = await db().pool.query<{ table: string; bytes: string }>(
    `SELECT coalesce(parent.relname, c.relname) AS table, sum(pg_total_relation_size(c.oid))::bigint AS bytes
       FROM pg_class c
       LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
       LEFT JOIN pg_class parent ON parent.oid = i.inhparent
      WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace
        AND coalesce(parent.relname, c.relname) LIKE ANY ($1)
      GROUP BY 1 ORDER BY 1`,
    [patterns],
  );
  return new Map(rows.map((row) => [row.table, Number(row.bytes)]));
}

/** Bytes of a partitioned table's heap and TOAST and of each of its indexes, over all partitions. */
async function partsOf(table: string): Promise<[string, number][]> {
  const { rows } = await db().pool.query<{ part: string; bytes: string }>(
    `SELECT 'heap and TOAST' AS part,
            sum(pg_table_size(i.inhrelid))::bigint AS bytes
       FROM pg_inherits i WHERE i.inhparent = $1::regclass
     UNION ALL
     SELECT parent.relname, sum(pg_relation_size(ix.inhrelid))::bigint
       FROM pg_index pi
       JOIN pg_class parent ON parent.oid = pi.indexrelid
       JOIN pg_inherits ix ON ix.inhparent = parent.oid
      WHERE pi.indrelid = $1::regclass
      GROUP BY parent.relname
      ORDER BY 1`,
    [table],
  );
  return rows.map((row) => [row.part, Number(row.bytes)]);
}

async function main() {
  const bench = await startBenchControlPlane(8);
  try {
    const { url, key } = bench;
    const hour = 3_600_000_000_000n;
    const hourAgo = nowNs() - (nowNs() % hour) - hour;
    const spanBodies = traceRequests(traces, 100, hourAgo, hour / BigInt(traces));
    const metricBodies = metricRequests(series, rounds, hourAgo);
    const jsonBytes = (bodies: string[]) => bodies.reduce((sum, body) => sum + body.length, 0);
    const spanJson = jsonBytes(spanBodies);
    const metricJson = jsonBytes(metricBodies);
    let started = performance.now();
    await send(url, key, "/v1/traces", spanBodies);
    const spanSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    await send(url, key, "/v1/metrics", metricBodies);
    const metricSeconds = (performance.now() - started) / 1000;

    await db().pool.query("VACUUM ANALYZE");
    const recentSpanTables = await tableBytes(["span%"]);
    const spanParts = await partsOf("span");
    started = performance.now();
    const packedSpans = await compactSpans(db().pool, { limit: 1000 });
    const packSpanSeconds = (performance.now() - started) / 1000;
    await db().pool.query("VACUUM ANALYZE");
    const spanTables = await tableBytes(["span%"]);
    const chunkParts = await partsOf("span_chunk");
    const recentTables = await tableBytes(["metric_point%", "metric_chunk%"]);
    started = performance.now();
    const packed = await compactMetrics(db().pool, { limit: 1000 });
    const compactSeconds = (performance.now() - started) / 1000;
    await db().pool.query("VACUUM ANALYZE");
    const metricTables = await tableBytes(["metric_point%", "metric_chunk%"]);
    const seriesTables = await tableBytes(["metric_series%"]);
    const spans = traces * SPANS_PER_TRACE;
    const points = series * rounds;
    const total = (tables: Map<string, number>) => [...tables.values()].reduce((a, b) => a + b, 0);
    // Packed hours are all of a retention period but its last hour and ten minutes; the recent
    // rows' table keeps only that much (its emptied pages are reused by the next hour's rows).
    const left = await db().pool.query<{ n: string }>("SELECT count(*) AS n FROM metric_point");
    const perPacked = (metricTables.get("metric_chunk") ?? 0) / points;
    const perRecentPoint = total(recentTables) / points;
    const recentShare = 70 / (7 * 24 * 60);
    const spansLeft = await db().pool.query<{ n: string }>("SELECT count(*) AS n FROM span");
    const perPackedSpan = (spanTables.get("span_chunk") ?? 0) / spans;
    const perRecentSpan = total(recentSpanTables) / spans;
    const perSpan = perPackedSpan * (1 - recentShare) + perRecentSpan * recentShare;
    const perPoint = perPacked * (1 - recentShare) + perRecentPoint * recentShare;
    const gbPerDay = ((perSpan * 1_000 + perPoint * 5_000) * 86_400) / 1e9;
    const lines = [
      `spans    ${fmt(spans)} in ${spanSeconds.toFixed(1)} s; ${[...recentSpanTables].map(([t, b]) => `${t} ${fmt(b)} B`).join(", ")}`,
      `packed   ${packedSpans.hours} hour(s), ${fmt(packedSpans.chunks)} chunks in ${packSpanSeconds.toFixed(1)} s; ${[...spanTables].map(([t, b]) => `${t} ${fmt(b)} B`).join(", ")}`,
      `points   ${fmt(points)} (${fmt(series)} series × ${rounds} rounds) in ${metricSeconds.toFixed(1)} s; ${[...recentTables].map(([t, b]) => `${t} ${fmt(b)} B`).join(", ")}`,
      `packed   ${packed.hours} hour(s), ${fmt(packed.series)} chunks in ${compactSeconds.toFixed(1)} s; ${[...metricTables].map(([t, b]) => `${t} ${fmt(b)} B`).join(", ")}`,
      `series   ${[...seriesTables].map(([t, b]) => `${t} ${fmt(b)} B (${fmt(Math.round(b / series))} B a series)`).join(", ")}`,
      "",
      `bytes per span, 7 days             ${perSpan.toFixed(0)} B   (target ≤ 250; as OTLP/JSON ${(spanJson / spans).toFixed(0)} B)`,
      `   packed hours                    ${perPackedSpan.toFixed(1)} B   (${spansLeft.rows[0]?.n} spans left unpacked)`,
      ...chunkParts.map(
        ([part, bytes]) => `      ${part.padEnd(29)}${(bytes / spans).toFixed(1)} B`,
      ),
      `   recent rows                     ${perRecentSpan.toFixed(0)} B   (the last 70 minutes, before they are packed)`,
      ...spanParts.map(
        ([part, bytes]) => `      ${part.padEnd(29)}${(bytes / spans).toFixed(0)} B`,
      ),
      `bytes per metric point, 7 days     ${perPoint.toFixed(0)} B   (target ≤ 60; as OTLP/JSON ${(metricJson / points).toFixed(0)} B)`,
      `   packed hours                    ${perPacked.toFixed(1)} B   (${left.rows[0]?.n} points left unpacked)`,
      `   recent rows                     ${perRecentPoint.toFixed(0)} B   (the last 70 minutes, before they are packed)`,
      `   stored ÷ OTLP/JSON              spans ${((perSpan / (spanJson / spans)) * 100).toFixed(0)} %, points ${((perPoint / (metricJson / points)) * 100).toFixed(0)} %`,
      `a day of 1,000 spans/s and 5,000 points/s   ${gbPerDay.toFixed(1)} GB`,
    ];
    process.stdout.write(`\n${lines.join("\n")}\n`);
  } finally {
    await bench.stop();
  }
}

await main();
