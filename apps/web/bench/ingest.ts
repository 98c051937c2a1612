import { pipeline } from "node:stream/promises";
import { parseArgs } from "node:util";
import { db } from "@vigil/db";
import {
  dayOf,
  ensureDailyPartitions,
  METRIC_POINT_COLUMNS,
  type MetricPointRow,
  metricPointLine,
  noteSearchedKeys,
  resolveSeries,
  resolveService,
  SPAN_COLUMNS,
  seriesKey,
  spanLine,
} from "@vigil/db/telemetry";
import { decodeTracesProtobuf } from "@vigil/otel";
import { from as copyFrom } from "pg-copy-streams";
import { fmt, startBenchControlPlane } from "./harness.ts";
import { httpLoad } from "./http-load.ts";
import { metricBodies } from "./metric-bodies.ts";
import { jsonBody, protobufBody, spanSpecs } from "./span-bodies.ts";
import { lines, spanRows, timedSpanWriter } from "./span-copy.ts";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "8" },
    spans: { type: "string", default: "512" },
    // The span attribute keys the project has searched by, whose values are indexed on write.
    searched: { type: "string", default: "app.tenant,http.route" },
    marks: { type: "boolean", default: false },
    // Which HTTP phases run: "spans" (P1, P2, P4), "metrics" (P3) or both.
    phases: { type: "string", default: "spans,metrics" },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const spansPerRequest = Number(args.spans);
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

function decodeOnly(bodies: Uint8Array[]): { spans: number; ms: number } {
  // One second of warm-up so the JIT has compiled the decoder before the clock starts.
  for (const warmUp = performance.now(); performance.now() - warmUp < 1000; )
    for (const body of bodies) decodeTracesProtobuf(body);
  let spans = 0;
  const started = performance.now();
  while (performance.now() - started < 5000)
    for (const body of bodies) spans += decodeTracesProtobuf(body).accepted;
  return { spans, ms: performance.now() - started };
}

/**
 * The baseline: plain COPY of rows into a table, timed, in 20,000-row statements, with the
 * partitions made first (as the writers do, outside the timing).
 */
async function timedCopy<Row>(
  table: string,
  columns: readonly string[],
  rows: Row[],
  line: (row: Row) => string,
  timeOf: (row: Row) => bigint,
): Promise<{ spans: number; ms: number }> {
  const pool = db().pool;
  await ensureDailyPartitions(
    pool,
    table,
    rows.map((row) => dayOf(timeOf(row))),
  );
  const list = columns.map((column) => `"${column}"`).join(", ");
  const client = await pool.connect();
  const started = performance.now();
  try {
    for (let i = 0; i < rows.length; i += 20_000) {
      await pipeline(
        lines(rows.slice(i, i + 20_000), line),
        client.query(copyFrom(`COPY ${table} (${list}) FROM STDIN`)),
      );
    }
  } finally {
    client.release();
  }
  return { spans: rows.length, ms: performance.now() - started };
}

const ceilingService = (projectId: string) =>
  resolveService(db().pool, projectId, {
    name: "copy-ceiling",
    environment: "",
    instance: "",
    version: "",
    host: "",
    attributes: {},
  });

/** Plain COPY of the same kind of spans into span. */
async function copyCeiling(
  projectId: string,
  total: number,
): Promise<{ spans: number; ms: number }> {
  const rows = spanRows(projectId, await ceilingService(projectId), spanSpecs(total, nowNs()));
  return timedCopy("span", SPAN_COLUMNS, rows, spanLine, (row) => row.startNs);
}

/** The span writer alone into the bench's database (span-copy.ts). */
async function spanWriterAlone(
  projectId: string,
  total: number,
): Promise<{ spans: number; ms: number }> {
  const rows = spanRows(projectId, await ceilingService(projectId), spanSpecs(total, nowNs()));
  return timedSpanWriter(db().pool, rows);
}

/** Plain COPY of metric points (gauge-like rows, 2,000 series) into metric_point. */
async function copyMetricCeiling(
  projectId: string,
  total: number,
): Promise<{ spans: number; ms: number }> {
  const ref = await ceilingService(projectId);
  const seriesIds: bigint[] = [];
  for (let s = 0; s < 2000; s++) {
    const meta = {
      name: "copy.ceiling",
      type: 1,
      unit: "",
      description: "",
      monotonic: false,
      cumulative: false,
      bounds: null,
    };
    const key = seriesKey(ref, meta, { series: s });
    seriesIds.push((await resolveSeries(db().pool, projectId, ref, meta, key)) ?? 0n);
  }
  const startNs = nowNs() - 7_200_000_000_000n;
  const rows: MetricPointRow[] = Array.from({ length: total }, (_, i) => ({
    projectId,
    seriesId: seriesIds[i % 2000] as bigint,
    timeNs: startNs + BigInt(Math.floor(i / 2000)) * 1_000_000_000n,
    startNs,
    value: i % 100,
    count: null,
    sum: null,
    min: null,
    max: null,
    counts: null,
    exp: null,
    quantiles: null,
  }));
  return timedCopy(
    "metric_point",
    METRIC_POINT_COLUMNS,
    rows,
    metricPointLine,
    (row) => row.timeNs,
  );
}

/**
 * One HTTP phase: `bodies` sent by the load thread with the run's concurrency and length. With
 * `--marks`, when it starts and ends goes to stderr on the clock CPU profiles use (µs), to
 * slice a `node --cpu-prof` run's profile by phase.
 */
const load = async (
  url: string,
  key: string,
  bodies: Uint8Array[],
  contentType: string,
  path = "/v1/traces",
  itemsPerRequest = spansPerRequest,
) => {
  const mark = (what: string) => {
    if (args.marks)
      process.stderr.write(
        `mark ${path} ${contentType} ${what} ${process.hrtime.bigint() / 1000n}\n`,
      );
  };
  mark("start");
  const result = await httpLoad(
    { url, key, path, contentType, seconds, concurrency, itemsPerRequest },
    bodies,
  );
  mark("end");
  return result;
};

/** P4, the span COPY ceiling, P1 and P2; their report lines. */
async function spanPhases(url: string, secret: string, projectId: string): Promise<string[]> {
  // Enough unique requests for the whole run at 50,000 spans/s, built before the clock starts.
  const requests = Math.ceil((seconds * 50_000) / spansPerRequest);
  process.stdout.write(
    `building ${fmt(requests)} requests of ${spansPerRequest} spans (10 attributes each; the project searches by ${args.searched || "none"})…\n`,
  );
  // Decode-only first, on a small working set, before the large body set fills the heap.
  const p4 = decodeOnly(
    Array.from({ length: 50 }, () => protobufBody(spanSpecs(spansPerRequest, nowNs()))),
  );
  const specs = Array.from({ length: requests }, () => spanSpecs(spansPerRequest, nowNs()));
  const protoBodies = specs.map(protobufBody);
  const ceiling = await copyCeiling(projectId, 400_000);
  const writer = await spanWriterAlone(projectId, 200_000);
  const p1 = await load(url, secret, protoBodies, "application/x-protobuf");
  const jsonBodies = specs.map((batch) => jsonBody(spanSpecs(batch.length, nowNs())));
  const p2 = await load(url, secret, jsonBodies, "application/json");
  const p1Rate = rate(p1.spans, p1.ms);
  const p2Rate = rate(p2.spans, p2.ms);
  const copyRate = rate(ceiling.spans, ceiling.ms);
  return [
    `COPY ceiling (same rows, same table)  ${fmt(copyRate)} spans/s`,
    `span writer alone, 2 writers          ${fmt(rate(writer.spans, writer.ms))} spans/s   (${((rate(writer.spans, writer.ms) / copyRate) * 100).toFixed(0)} % of COPY)`,
    `P4 decode only, protobuf, one core    ${fmt(rate(p4.spans, p4.ms))} spans/s   (target ≥ 300,000)`,
    `P1 OTLP/HTTP protobuf, durable        ${fmt(p1Rate)} spans/s   p50 ${p1.p50} ms, p99 ${p1.p99} ms, errors ${p1.errors}   (target ≥ 25,000, p99 < 250 ms)`,
    `   P1 ÷ COPY ceiling                  ${((p1Rate / copyRate) * 100).toFixed(0)} %   (target ≥ 50 %)`,
    `P2 OTLP/HTTP JSON, durable            ${fmt(p2Rate)} spans/s   p50 ${p2.p50} ms, p99 ${p2.p99} ms, errors ${p2.errors}`,
    `   P2 ÷ P1                            ${((p2Rate / p1Rate) * 100).toFixed(0)} %   (target ≥ 60 %)`,
  ];
}

/** The metric COPY ceiling and P3; their report lines. */
async function metricPhase(url: string, secret: string, projectId: string): Promise<string[]> {
  const pointsPerRequest = 1000;
  const baseline = await copyMetricCeiling(projectId, 400_000);
  const bodies = metricBodies(
    Math.ceil((seconds * 150_000) / pointsPerRequest),
    2000,
    pointsPerRequest,
    nowNs() - 3_600_000_000_000n,
  );
  const p3 = await load(
    url,
    secret,
    bodies,
    "application/x-protobuf",
    "/v1/metrics",
    pointsPerRequest,
  );
  const copyRate = rate(baseline.spans, baseline.ms);
  const p3Rate = rate(p3.spans, p3.ms);
  return [
    `COPY ceiling, metric points           ${fmt(copyRate)} points/s`,
    `P3 OTLP/HTTP metric points, durable   ${fmt(p3Rate)} points/s   p50 ${p3.p50} ms, p99 ${p3.p99} ms, errors ${p3.errors}   (target ≥ 100,000)`,
    `   P3 ÷ COPY ceiling                  ${((p3Rate / copyRate) * 100).toFixed(0)} %`,
  ];
}

async function main() {
  const bench = await startBenchControlPlane(12);
  try {
    const { url, projectId, key: secret } = bench;
    const searched = args.searched.split(",").filter(Boolean);
    await noteSearchedKeys(db().pool, projectId, searched);

    const phases = new Set(args.phases.split(","));
    const lines: string[] = [];
    if (phases.has("spans")) lines.push(...(await spanPhases(url, secret, projectId)));
    if (phases.has("metrics")) lines.push(...(await metricPhase(url, secret, projectId)));
    process.stdout.write(
      `\n${lines.join("\n")}\n(${seconds} s per HTTP phase, ${concurrency} concurrent requests of ${spansPerRequest} spans)\n`,
    );
  } finally {
    await bench.stop();
  }
}

await main();
