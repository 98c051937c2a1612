import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject, newSeries, pointOf } from "../../testing/metric-fixtures.ts";
import { seriesPoints } from "../read/increases.ts";
import { queryMetric } from "../read/metric-query.ts";
import type { MetricPointRow } from "../write/metric-rows.ts";
import { writeMetricPoints } from "../write/metric-writer.ts";
import { compactMetrics } from "./compaction.ts";
import { rollUpPending } from "./rollups.ts";

const database = setupTestDatabase();
const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
const T0 = 1_795_010_400n * SECOND; // on the hour
const BOUNDS = [0.1, 1];

/** Three hours every 10 s: a gauge, a cumulative counter restarting at 100 min, a histogram. */
async function seed(projectId: string) {
  const db = database.current();
  const gauge = await newSeries(db, projectId, { name: "queue.depth", type: 1 });
  const counter = await newSeries(db, projectId, {
    name: "orders.placed",
    type: 2,
    cumulative: true,
  });
  const latency = await newSeries(db, projectId, {
    name: "checkout.duration",
    type: 3,
    cumulative: true,
    bounds: BOUNDS,
  });
  const rows: MetricPointRow[] = [];
  const restart = 600n;
  for (let i = 0n; i < 1080n; i++) {
    const timeNs = T0 + i * 10n * SECOND + SECOND;
    const startNs = i < restart ? T0 : T0 + restart * 10n * SECOND;
    const n = Number(i < restart ? i + 1n : i - restart + 1n);
    rows.push(pointOf(gauge, { timeNs, startNs: timeNs }, { value: Number(i % 7n) }));
    rows.push(pointOf(counter, { timeNs, startNs }, { value: 2 * n }));
    rows.push(
      pointOf(latency, { timeNs, startNs }, { count: 3 * n, sum: n, counts: [n, 2 * n, 0] }),
    );
  }
  await writeMetricPoints(db.pool, rows);
  return { gauge, counter, latency };
}

/** Every metric's hourly and 10-minute answers from raw points, and the counter's increases. */
async function answers(projectId: string, counterId: bigint) {
  const pool = database.current().pool;
  const at = (name: string, stepNs: bigint) =>
    queryMetric(pool, projectId, {
      name,
      fromNs: T0,
      toNs: T0 + 3n * HOUR,
      stepNs,
      resolution: 0,
    }).then((result) => result.buckets);
  const increases = await pool.query(
    `SELECT time_ns::text, start_ns::text, value FROM ${seriesPoints({ project: "$1", series: "$2", lo: "$3", hi: "$4" })} p ORDER BY time_ns`,
    [
      projectId,
      counterId.toString(),
      (T0 + 30n * MINUTE).toString(),
      (T0 + 150n * MINUTE).toString(),
    ],
  );
  return {
    gauge: await at("queue.depth", 10n * MINUTE),
    orders: await at("orders.placed", HOUR),
    latency: await at("checkout.duration", HOUR),
    increases: increases.rows,
  };
}

const rowsIn = async (table: string, projectId: string) =>
  Number(
    (
      await database
        .current()
        .pool.query(`SELECT count(*) AS n FROM ${table} WHERE project_id = $1`, [projectId])
    ).rows[0]?.n,
  );

describe("metric compaction", () => {
  it("packs closed hours into one row per series and hour, and every reader answers as before", async () => {
    const projectId = await project();
    const { gauge, counter } = await seed(projectId);
    const before = await answers(projectId, counter.seriesId);
    // The increases the queries see: 720 points of 2 each over the window, the restart counted whole.
    expect(before.increases).toHaveLength(720);
    expect(before.orders.map((b) => b.valueSum)).toEqual([720, 720, 720]);
    expect(before.latency.map((b) => [b.count, b.counts])).toEqual([
      [1080, [360, 720, 0]],
      [1080, [360, 720, 0]],
      [1080, [360, 720, 0]],
    ]);

    const pool = database.current().pool;
    // The third hour ended 10 minutes ago only at T0 + 3h10m: before that, two hours are packed.
    await compactMetrics(pool, { nowNs: T0 + 3n * HOUR + 5n * MINUTE, limit: 1000 });
    expect(await rowsIn("metric_chunk", projectId)).toBe(6);
    expect(await rowsIn("metric_point", projectId)).toBe(3 * 360);
    expect(await answers(projectId, counter.seriesId)).toEqual(before);

    await compactMetrics(pool, { nowNs: T0 + 4n * HOUR, limit: 1000 });
    expect(await rowsIn("metric_chunk", projectId)).toBe(9);
    expect(await rowsIn("metric_point", projectId)).toBe(0);
    expect(await answers(projectId, counter.seriesId)).toEqual(before);

    // Rollups computed from packed points answer as the raw points do.
    await rollUpPending(pool, { nowNs: T0 + 4n * HOUR });
    const rolled = await queryMetric(pool, projectId, {
      name: "orders.placed",
      fromNs: T0,
      toNs: T0 + 3n * HOUR,
      stepNs: HOUR,
      resolution: 3600,
    });
    expect(rolled.buckets).toEqual(before.orders);

    // A late gauge point and a retried counter point for a packed hour: read at once (the retry
    // once), and merged into the hour's chunk by the next run.
    await writeMetricPoints(pool, [
      pointOf(gauge, { timeNs: T0 + 65n * MINUTE + 5n * SECOND, startNs: 0n }, { value: 1000 }),
      pointOf(counter, { timeNs: T0 + 65n * MINUTE + SECOND, startNs: T0 }, { value: 2 * 391 }),
    ]);
    const late = await answers(projectId, counter.seriesId);
    expect(late.increases).toEqual(before.increases);
    expect(late.gauge[6]?.valueMax).toBe(1000);
    expect(late.gauge[6]?.points).toBe(61);
    await compactMetrics(pool, { nowNs: T0 + 4n * HOUR, limit: 1000 });
    expect(await rowsIn("metric_point", projectId)).toBe(0);
    expect(await rowsIn("metric_chunk", projectId)).toBe(9);
    expect(await answers(projectId, counter.seriesId)).toEqual(late);
  });
});

const project = () => newProject(database.current());
