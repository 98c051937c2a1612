import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject, newSeries, pointOf, type SeriesRef } from "../../testing/metric-fixtures.ts";
import { seriesPoints } from "../read/increases.ts";
import type { MetricPointRow } from "./metric-rows.ts";
import { writeMetricPoints } from "./metric-writer.ts";

const database = setupTestDatabase();
const T0 = 1_795_000_000_000_000_000n;
const SECOND = 1_000_000_000n;

async function series(
  name: string,
  type = 2,
  shape: { cumulative?: boolean; bounds?: number[] } = { cumulative: true },
) {
  const projectId = await newProject(database.current());
  return newSeries(database.current(), projectId, {
    name,
    type,
    attributes: { region: "eu" },
    ...shape,
  });
}

const row = (s: SeriesRef, seconds: bigint, fields: Partial<MetricPointRow>): MetricPointRow =>
  pointOf(s, { timeNs: T0 + seconds * SECOND, startNs: T0 }, fields);

/** The series' points as every reader sees them: increases for cumulative series. */
async function stored(s: SeriesRef) {
  const points = seriesPoints({ project: "$1", series: "$2", lo: "0", hi: "9223372036854775807" });
  const result = await database
    .current()
    .pool.query(
      `SELECT ((time_ns - $3::bigint) / 1000000000)::int AS t, value, count::int, sum, counts FROM ${points} p ORDER BY time_ns`,
      [s.projectId, s.seriesId.toString(), T0.toString()],
    );
  return result.rows;
}

describe("writeMetricPoints", () => {
  // Points are stored as sent; these read them as the queries do (increases.ts), so they hold
  // the same expectations as when the writer itself turned running totals into increases.
  it("reads cumulative sums as increases across batches, and a retried batch once", async () => {
    const s = await series("business.orders");
    const pool = database.current().pool;
    await writeMetricPoints(pool, [row(s, 10n, { value: 5 }), row(s, 20n, { value: 8 })]);
    await writeMetricPoints(pool, [row(s, 30n, { value: 12 })]);
    await writeMetricPoints(pool, [row(s, 30n, { value: 12 })]); // a retry
    await writeMetricPoints(pool, [row(s, 40n, { value: 2, startNs: T0 + 35n * SECOND })]); // a restart
    expect((await stored(s)).map((p) => [p.t, p.value])).toEqual([
      [10, 5],
      [20, 3],
      [30, 4],
      [40, 2],
    ]);
  });

  it("counts a new series once when two writers bring its first points at the same time", async () => {
    const pool = database.current().pool;
    // A client retrying a slow export while the next one arrives: both batches are the series'
    // first. Whichever commits first, the increases must add up to the last value (8), not 5 + 8.
    const all = await Promise.all(
      Array.from({ length: 12 }, async () => {
        const s = await series("vigil.agent.dropped");
        await Promise.all([
          writeMetricPoints(pool, [row(s, 10n, { value: 5 })]),
          writeMetricPoints(pool, [row(s, 20n, { value: 8 })]),
        ]);
        return (await stored(s)).reduce((total, p) => total + p.value, 0);
      }),
    );
    expect(all).toEqual(Array(12).fill(8));
  });

  it("stores gauges and delta sums as they come", async () => {
    const s = await series("process.memory.usage", 1, { cumulative: false });
    await writeMetricPoints(database.current().pool, [
      row(s, 10n, { value: 100 }),
      row(s, 20n, { value: 90 }),
    ]);
    expect((await stored(s)).map((p) => p.value)).toEqual([100, 90]);
  });

  it("turns cumulative histograms into per-interval buckets", async () => {
    const s = await series("http.server.request.duration", 3, {
      cumulative: true,
      bounds: [0.1, 1],
    });
    const pool = database.current().pool;
    await writeMetricPoints(pool, [row(s, 10n, { count: 3, sum: 0.6, counts: [1, 2, 0] })]);
    await writeMetricPoints(pool, [row(s, 20n, { count: 5, sum: 2.1, counts: [1, 3, 1] })]);
    const points = await stored(s);
    expect(points.map((p) => [p.count, p.counts.map(Number)])).toEqual([
      [3, [1, 2, 0]],
      [2, [0, 1, 1]],
    ]);
    expect(points[1]?.sum).toBeCloseTo(1.5);
  });

  it("places a point that arrives late in time order, so increases still add up", async () => {
    const s = await series("http.server.requests");
    const pool = database.current().pool;
    await writeMetricPoints(pool, [row(s, 10n, { value: 5 }), row(s, 30n, { value: 12 })]);
    await writeMetricPoints(pool, [row(s, 20n, { value: 8 })]); // late
    expect((await stored(s)).map((p) => [p.t, p.value])).toEqual([
      [10, 5],
      [20, 3],
      [30, 4],
    ]);
  });

  it("lets an up-down counter go down, and restarts a histogram whose bucket went down", async () => {
    const pool = database.current().pool;
    const queue = await series("queue.depth", 2);
    await pool.query("UPDATE metric_series SET monotonic = false WHERE id = $1", [
      queue.seriesId.toString(),
    ]);
    await writeMetricPoints(pool, [row(queue, 10n, { value: 7 }), row(queue, 20n, { value: 4 })]);
    expect((await stored(queue)).map((p) => p.value)).toEqual([7, -3]);

    const h = await series("db.client.operation.duration", 3, { cumulative: true, bounds: [1] });
    await writeMetricPoints(pool, [
      row(h, 10n, { count: 4, sum: 2, counts: [3, 1] }),
      row(h, 20n, { count: 5, sum: 3, counts: [2, 3] }), // bucket 1 went down: a restart
    ]);
    expect((await stored(h)).map((p) => [p.count, p.counts.map(Number)])).toEqual([
      [4, [3, 1]],
      [5, [2, 3]],
    ]);
  });
});
