import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject, newSeries, pointOf, type SeriesRef } from "../../testing/metric-fixtures.ts";
import { type MetricQuery, queryMetric } from "../read/metric-query.ts";
import type { MetricPointRow } from "../write/metric-rows.ts";
import { writeMetricPoints } from "../write/metric-writer.ts";
import { markRollupsPending, rollUpPending } from "./rollups.ts";

const database = setupTestDatabase();
const SECOND = 1_000_000_000n;
const MINUTE = 60n * SECOND;
const HOUR = 60n * MINUTE;
// On a whole hour, so minute and hour buckets tile the windows; sums are binary fractions, so
// adding them in any order gives the same result.
const T0 = 1_795_003_200n * SECOND;
const BOUNDS = [0.01, 0.1, 1];

const project = () => newProject(database.current());

const series = (
  projectId: string,
  instance: string,
  name: string,
  type: number,
  attributes: Record<string, unknown>,
  service = "shop",
  bounds = type === 3 ? BOUNDS : undefined,
) =>
  newSeries(
    database.current(),
    projectId,
    { name, type, unit: "s", attributes, ...(bounds ? { bounds } : {}) },
    { service, instance },
  );

const point = (s: SeriesRef, timeNs: bigint, fields: Partial<MetricPointRow>): MetricPointRow =>
  pointOf(s, { timeNs, startNs: timeNs - 10n * SECOND }, fields);

/** Three hours of points every 10 s: a gauge on two instances and a histogram on two routes. */
async function seed(projectId: string) {
  const gaugeA = await series(projectId, "a", "queue.depth", 1, {});
  const gaugeB = await series(projectId, "b", "queue.depth", 1, {});
  const slow = await series(projectId, "a", "latency", 3, { route: "/slow" });
  const fast = await series(projectId, "b", "latency", 3, { route: "/fast" });
  const rows: MetricPointRow[] = [];
  for (let i = 0n; i < 3n * 360n; i++) {
    const t = T0 + i * 10n * SECOND + SECOND;
    const k = Number(i);
    rows.push(point(gaugeA, t, { value: k % 7 }));
    rows.push(point(gaugeB, t, { value: 100 + (k % 5) }));
    rows.push(
      point(slow, t, {
        count: 4,
        sum: 2 + k / 1024,
        min: 0.2,
        max: 0.9,
        counts: [0, 0, 4, 0],
      }),
    );
    rows.push(
      point(fast, t, {
        count: 6,
        sum: 0.03125,
        min: 0.004,
        max: 0.008,
        counts: [6, 0, 0, 0],
      }),
    );
  }
  await writeMetricPoints(database.current().pool, rows);
}

const window = (fromNs: bigint, toNs: bigint, stepNs: bigint) => ({ fromNs, toNs, stepNs });

async function atEveryResolution(projectId: string, query: Omit<MetricQuery, "resolution">) {
  const pool = database.current().pool;
  const at = (resolution: 0 | 60 | 3600) => queryMetric(pool, projectId, { ...query, resolution });
  const [raw, minutes, hours] = await Promise.all([at(0), at(60), at(3600)]);
  return { raw, minutes, hours };
}

const pending = async (projectId: string) =>
  (
    await database
      .current()
      .pool.query(
        "SELECT resolution, bucket_ns FROM metric_rollup_pending WHERE project_id = $1 ORDER BY 1, 2",
        [projectId],
      )
  ).rows;

describe("metric rollups", () => {
  it("answer exactly as raw points do, before, after and while being rolled up", async () => {
    const projectId = await project();
    await seed(projectId);
    // Every written minute is pending; nothing is rolled up yet, so rollup reads fall back to raw.
    expect(await pending(projectId)).toHaveLength(180);
    const gauge = { name: "queue.depth", ...window(T0, T0 + 3n * HOUR, HOUR) };
    const before = await atEveryResolution(projectId, gauge);
    expect(before.minutes.buckets).toEqual(before.raw.buckets);
    expect(before.hours.buckets).toEqual(before.raw.buckets);

    const result = await rollUpPending(database.current().pool, { nowNs: T0 + 4n * HOUR });
    expect(result).toEqual({ minutes: 180, hours: 3 });
    expect(await pending(projectId)).toEqual([]);
    const rolled = (
      await database
        .current()
        .pool.query(
          "SELECT resolution, count(*)::int AS n FROM metric_rollup WHERE project_id = $1 GROUP BY 1 ORDER BY 1",
          [projectId],
        )
    ).rows;
    // 4 series × 180 minutes, 4 series × 3 hours.
    expect(rolled).toEqual([
      { resolution: 60, n: 720 },
      { resolution: 3600, n: 12 },
    ]);

    const after = await atEveryResolution(projectId, gauge);
    expect(after.raw.buckets).toEqual(before.raw.buckets);
    expect(after.minutes.buckets).toEqual(after.raw.buckets);
    expect(after.hours.buckets).toEqual(after.raw.buckets);
    const firstHour = after.hours.buckets[0];
    expect(firstHour?.points).toBe(720);
    expect(firstHour?.valueMin).toBe(0);
    expect(firstHour?.valueMax).toBe(104);

    // Histograms: counts, sums and merged buckets, grouped by route and filtered.
    const latency = {
      name: "latency",
      groupBy: "route",
      ...window(T0, T0 + 3n * HOUR, 30n * MINUTE),
    };
    const byRoute = await atEveryResolution(projectId, latency);
    expect(byRoute.minutes.buckets).toEqual(byRoute.raw.buckets);
    const slowFirst = byRoute.minutes.buckets.find((b) => b.group === "/slow");
    expect(slowFirst).toMatchObject({ count: 720, min: 0.2, max: 0.9, counts: [0, 0, 720, 0] });
    const merged = await queryMetric(database.current().pool, projectId, {
      name: "latency",
      ...window(T0, T0 + 3n * HOUR, 3n * HOUR),
    });
    expect(merged.resolution).toBe(3600);
    expect(merged.buckets[0]).toMatchObject({
      count: 10 * 1080,
      counts: [6 * 1080, 0, 4 * 1080, 0],
    });
    const filtered = await queryMetric(database.current().pool, projectId, {
      name: "latency",
      where: { route: "/fast" },
      ...window(T0, T0 + 3n * HOUR, 3n * HOUR),
    });
    expect(filtered.buckets[0]).toMatchObject({ count: 6 * 1080, counts: [6 * 1080, 0, 0, 0] });

    // A late point in a rolled-up hour: its minute is pending again and read raw until rolled.
    const late = await series(projectId, "a", "queue.depth", 1, {});
    await writeMetricPoints(database.current().pool, [
      point(late, T0 + 30n * MINUTE + 5n * SECOND, { value: 1000 }),
    ]);
    expect(await pending(projectId)).toEqual([
      { resolution: 60, bucket_ns: (T0 + 30n * MINUTE).toString() },
    ]);
    const stale = await atEveryResolution(projectId, gauge);
    expect(stale.hours.buckets).toEqual(stale.raw.buckets);
    expect(stale.minutes.buckets).toEqual(stale.raw.buckets);
    expect(stale.raw.buckets[0]?.valueMax).toBe(1000);
    expect(await rollUpPending(database.current().pool, { nowNs: T0 + 4n * HOUR })).toEqual({
      minutes: 1,
      hours: 1,
    });
    const fresh = await atEveryResolution(projectId, gauge);
    expect(fresh.hours.buckets).toEqual(fresh.raw.buckets);
    expect(fresh.hours.buckets[0]?.valueMax).toBe(1000);
  });

  it("take a cumulative series' increases alike from raw points and rollups, across a restart", async () => {
    const projectId = await project();
    const pool = database.current().pool;
    const meta = { unit: "1", cumulative: true };
    const counter = await newSeries(database.current(), projectId, {
      name: "orders.placed",
      type: 2,
      ...meta,
    });
    const duration = await newSeries(database.current(), projectId, {
      name: "checkout.duration",
      type: 3,
      bounds: BOUNDS,
      ...meta,
    });
    // Two hours of running totals every 10 s (3 orders and 2 checkouts a point); the process
    // restarts at 70 minutes and its totals begin again from its new start time.
    const rows: MetricPointRow[] = [];
    const restart = 420n;
    for (let i = 0n; i < 720n; i++) {
      const times = {
        timeNs: T0 + i * 10n * SECOND + SECOND,
        startNs: i < restart ? T0 : T0 + restart * 10n * SECOND,
      };
      const n = Number(i < restart ? i + 1n : i - restart + 1n);
      rows.push(pointOf(counter, times, { value: 3 * n }));
      rows.push(pointOf(duration, times, { count: 2 * n, sum: n, counts: [n, n, 0, 0] }));
    }
    // The second hour arrives before the first: increases are taken in time order all the same.
    await writeMetricPoints(pool, rows.slice(720));
    await writeMetricPoints(pool, rows.slice(0, 720));
    const check = async () => {
      const orders = await atEveryResolution(projectId, {
        name: "orders.placed",
        ...window(T0, T0 + 2n * HOUR, HOUR),
      });
      expect(orders.minutes.buckets).toEqual(orders.raw.buckets);
      expect(orders.hours.buckets).toEqual(orders.raw.buckets);
      expect(orders.raw.buckets.map((b) => b.valueSum)).toEqual([1080, 1080]);
      const checkout = await atEveryResolution(projectId, {
        name: "checkout.duration",
        ...window(T0, T0 + 2n * HOUR, HOUR),
      });
      expect(checkout.hours.buckets).toEqual(checkout.raw.buckets);
      expect(checkout.raw.buckets.map((b) => [b.count, b.counts])).toEqual([
        [720, [360, 360, 0, 0]],
        [720, [360, 360, 0, 0]],
      ]);
    };
    await check();
    await rollUpPending(pool, { nowNs: T0 + 3n * HOUR });
    expect(await pending(projectId)).toEqual([]);
    await check();
  });

  it("keep each service's own bucket layout when services' histograms differ", async () => {
    const projectId = await project();
    const narrow = await series(projectId, "a", "rpc.duration", 3, {}, "ledger", [0.1, 1]);
    const wide = await series(
      projectId,
      "b",
      "rpc.duration",
      3,
      {},
      "gateway",
      [0.01, 0.1, 1, 5, 10],
    );
    const t = T0 + 5n * SECOND;
    await writeMetricPoints(database.current().pool, [
      point(narrow, t, { count: 3, sum: 1, counts: [1, 1, 1] }),
      point(wide, t, {
        count: 5,
        sum: 1,
        counts: [1, 1, 1, 1, 1, 0],
      }),
    ]);
    const layouts = async () =>
      (
        await queryMetric(database.current().pool, projectId, {
          name: "rpc.duration",
          groupBy: "service.name",
          ...window(T0, T0 + HOUR, HOUR),
        })
      ).buckets.map((b) => [b.group, b.bounds?.length, b.counts]);
    const expected = [
      ["gateway", 5, [1, 1, 1, 1, 1, 0]],
      ["ledger", 2, [1, 1, 1]],
    ];
    expect(await layouts()).toEqual(expected);
    await rollUpPending(database.current().pool, { nowNs: T0 + 2n * HOUR });
    expect(await layouts()).toEqual(expected);
  });

  it("leaves a minute pending while a writer that marked it has not committed", async () => {
    const projectId = await project();
    const gauge = await series(projectId, "a", "in.flight", 1, {});
    const pool = database.current().pool;
    // The job is cluster-wide: let it finish whatever other tests left pending first.
    await rollUpPending(pool, { nowNs: T0 + 100n * HOUR });
    // The minute is already pending from an earlier write...
    await writeMetricPoints(pool, [point(gauge, T0 + 2n * SECOND, { value: 40 })]);
    const writer = await pool.connect();
    try {
      await writer.query("BEGIN");
      const timeNs = T0 + 5n * SECOND;
      await writer.query(
        "INSERT INTO metric_point (project_id, series_id, time_ns, value) VALUES ($1, $2, $3, 42)",
        [projectId, gauge.seriesId.toString(), timeNs.toString()],
      );
      await markRollupsPending(writer, [{ projectId, timeNs }]);
      // ...and the job runs while a second writer is in flight: taking the mark now would roll the
      // minute up without the second writer's point and never come back for it.
      expect(await rollUpPending(pool, { nowNs: T0 + HOUR })).toEqual({ minutes: 0, hours: 0 });
      await writer.query("COMMIT");
    } finally {
      writer.release();
    }
    expect(await rollUpPending(pool, { nowNs: T0 + HOUR })).toEqual({ minutes: 1, hours: 1 });
    const rolled = await queryMetric(pool, projectId, {
      name: "in.flight",
      ...window(T0, T0 + HOUR, HOUR),
      resolution: 3600,
    });
    expect(rolled.buckets[0]).toMatchObject({ points: 2, valueAvg: 41 });
  });
});
