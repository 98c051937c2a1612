// bench:promql — the query a Grafana latency panel sends on every refresh (P11), over the
// bench:query metric data (10.1 M points): a 24 h query_range at 1-minute steps of
// histogram_quantile(0.95, sum by (le, job) (rate(…_bucket[5m]))). Timed through the engine,
// store and results cache the HTTP API uses: refreshed once a minute (the steps a refresh
// adds, and those not yet settled, evaluated from minute rollups), and evaluated whole. The
// baseline, same run: one hour computed from the samples (24 h of them is past the engine's
// sample limit). Both answers are checked: refreshed against whole, rollups against samples.
import { parseArgs } from "node:util";
import { closeDatabase, connectDatabase, db } from "@vigil/db";
import { migrate } from "@vigil/db/migrations";
import { rollupState } from "@vigil/db/telemetry";
import { ensureDefaultProject } from "../src/domain/tenancy/projects.ts";
import { deadlineOf, readsUntil } from "../src/prometheus/deadline.ts";
import { type Querier, type QueryResult, rangeQuery } from "../src/prometheus/promql/query.ts";
import { storeQuerier } from "../src/prometheus/querier.ts";
import { cachedRangeQuery } from "../src/prometheus/results-cache.ts";
import { benchDatabase, fmt, timed } from "./harness.ts";
import { HOUR, MINUTE, seedMetricDay } from "./metric-day.ts";

const { values: args } = parseArgs({
  options: {
    services: { type: "string", default: "10" },
    instances: { type: "string", default: "3" },
    runs: { type: "string", default: "40" },
    keep: { type: "boolean", default: false },
    database: { type: "string" },
  },
});
const runs = Number(args.runs);
const log = (line: string) => process.stdout.write(`${line}\n`);
const QUERY =
  "histogram_quantile(0.95, sum by (le, job) (rate(http_server_request_duration_seconds_bucket[5m])))";
const MS = 1_000_000n;
const STEP_MS = Number(MINUTE / MS);

type Matrix = { metric: Record<string, string>; values: [number, number][] }[];

/** The largest relative difference between two matrices, or Infinity if their shapes differ. */
function difference(a: QueryResult, b: QueryResult): number {
  const left = a.result as Matrix;
  const right = b.result as Matrix;
  if (JSON.stringify(left.map((s) => s.metric)) !== JSON.stringify(right.map((s) => s.metric)))
    return Number.POSITIVE_INFINITY;
  let worst = 0;
  left.forEach((s, i) => {
    const other = right[i]?.values ?? [];
    if (other.length !== s.values.length) worst = Number.POSITIVE_INFINITY;
    s.values.forEach(([t, x], j) => {
      const [u, y] = other[j] ?? [Number.NaN, Number.NaN];
      if (t !== u) worst = Number.POSITIVE_INFINITY;
      else if (!(Number.isNaN(x) && Number.isNaN(y)))
        worst = Math.max(worst, Math.abs(x - y) / Math.max(1, Math.abs(y)));
    });
  });
  return worst;
}

const steps = (result: QueryResult) =>
  (result.result as Matrix).reduce((n, s) => n + s.values.length, 0);

async function main() {
  const store = await benchDatabase(args.database);
  try {
    await migrate({ connectionString: store.url });
    connectDatabase(store.url, { maxConnections: 8 });
    const { pool } = db();
    const { projectId } = await ensureDefaultProject();
    const seeded = await pool.query<{ from: string | null; points: string }>(
      "SELECT min(time_ns)::text AS from, count(*)::text AS points FROM metric_point",
    );
    const existing = seeded.rows[0];
    const day = existing?.from
      ? {
          fromNs: BigInt(existing.from),
          toNs: BigInt(existing.from) + 24n * HOUR,
          points: Number(existing.points),
        }
      : await seedMetricDay(
          pool,
          projectId,
          { services: Number(args.services), instances: Number(args.instances) },
          log,
        );
    if (!existing?.from) {
      await pool.query("VACUUM ANALYZE");
      await pool.query("CHECKPOINT");
    }
    const fromMs = Number(day.fromNs / MS);
    const toMs = Number(day.toNs / MS);
    const querier = storeQuerier(pool, projectId);
    const fromSamples: Querier = { select: querier.select };
    // A refresh reads as the HTTP API's query_range does: its statements under the query's time
    // budget, each on a connection of its own.
    const requestQuerier = () =>
      storeQuerier(readsUntil(pool, deadlineOf(Date.now(), undefined)), projectId);
    const state = await rollupState(pool, projectId);

    // Cold: the whole day evaluated, every step from the minute rollups.
    const cold = await timed(() => rangeQuery(querier, QUERY, fromMs, toMs, STEP_MS), 3);
    // Refreshes: a dashboard whose last 24 h end at "now", asked once a minute for the last
    // `runs` minutes of the data; steps too recent to be settled are evaluated each time.
    const refreshFrom = toMs - (runs + 1) * STEP_MS;
    const refresh = await timed(
      (run) =>
        cachedRangeQuery(
          requestQuerier(),
          { projectId, state, nowMs: refreshFrom + run * STEP_MS + 30_000 },
          QUERY,
          refreshFrom + run * STEP_MS - 24 * 3_600_000,
          refreshFrom + run * STEP_MS,
          STEP_MS,
        ),
      runs,
    );
    const lastEnd = refreshFrom + runs * STEP_MS;
    const whole = await rangeQuery(querier, QUERY, lastEnd - 24 * 3_600_000, lastEnd, STEP_MS);
    const refreshWorst = difference(refresh.last, whole);
    // One hour from the middle of the day, both ways: the baseline and the equality check.
    const hourFrom = fromMs + 12 * 3_600_000;
    const hourTo = hourFrom + 3_600_000;
    const hourFast = await timed(() => rangeQuery(querier, QUERY, hourFrom, hourTo, STEP_MS), runs);
    const hourSamples = await timed(
      () => rangeQuery(fromSamples, QUERY, hourFrom, hourTo, STEP_MS),
      3,
    );
    const worst = difference(hourFast.last, hourSamples.last);

    log("");
    log(`| PromQL over ${fmt(day.points)} points: ${QUERY} | p50 ms | p95 ms | |`);
    log("|---|---|---|---|");
    log(
      `| P11: 24 h at 1-minute steps, refreshed each minute (${(refresh.last.result as Matrix).length} series, ${fmt(steps(refresh.last))} values) | ${refresh.p50.toFixed(1)} | ${refresh.p95.toFixed(1)} | target p95 ≤ 200 ms |`,
    );
    log(
      `| the same 24 h evaluated whole (first load, or after a late rollup) | ${cold.p50.toFixed(1)} | ${cold.p95.toFixed(1)} | |`,
    );
    log(
      `| 1 h at 1-minute steps, rate() from minute rollups | ${hourFast.p50.toFixed(1)} | ${hourFast.p95.toFixed(1)} | |`,
    );
    log(
      `| baseline: the same hour from the samples | ${hourSamples.p50.toFixed(1)} | ${hourSamples.p95.toFixed(1)} | rollups ${(hourSamples.p50 / hourFast.p50).toFixed(0)}× faster |`,
    );
    const verdict = (x: number) =>
      `${x <= 1e-9 ? "yes" : "NO"} (largest relative difference ${x.toExponential(1)})`;
    log(`refreshed answer equal to the whole day evaluated at once: ${verdict(refreshWorst)}`);
    log(
      `rollups' answer equal to the samples' (1 h, ${fmt(steps(hourFast.last))} values): ${verdict(worst)}`,
    );
    if (worst > 1e-9 || refreshWorst > 1e-9) process.exitCode = 1;
  } finally {
    await closeDatabase();
    if (args.keep) log(`kept: --database ${store.url}`);
    else await store.stop();
  }
}

await main();
