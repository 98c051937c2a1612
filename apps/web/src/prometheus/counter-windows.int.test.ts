import { db } from "@vigil/db";
import { type MetricPointRow, rollUpPending, writeMetricPoints } from "@vigil/db/telemetry";
import { setupTestDatabase } from "@vigil/db/testing";
import { newSeries, pointOf, type SeriesRef } from "@vigil/db/testing/metrics";
import { beforeAll, describe, expect, it } from "vitest";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { instantQuery, type Querier, type QueryResult, rangeQuery } from "./promql/query.ts";
import { storeQuerier } from "./querier.ts";

// rate() and increase() of OpenTelemetry counters and histograms read minute rollups where the
// steps and range allow; every answer must equal the one computed from the samples, through
// irregular scrapes, a restart, a gap, a point on a minute's first millisecond, buckets that
// start at zero, delta and cumulative series, and minutes still pending a rollup.

setupTestDatabase();

const MINUTE_MS = 60_000;
// Two hours ending on a whole hour, three hours ago; the last 7 minutes stay pending.
const END_MS = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
const START_MS = END_MS - 2 * 3_600_000;
const ROLLED_UP_TO_MS = END_MS - 7 * MINUTE_MS;

let projectId: string;
let fast: Querier;
let samplesOnly: Querier;
let windowsGiven = 0;

/** A deterministic sequence in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

const ns = (ms: number) => BigInt(Math.round(ms * 1000)) * 1000n;

/** Times every ~intervalMs with jitter, a 4-minute gap, and one point on a minute's first ms. */
function times(intervalMs: number, phaseMs: number, seed: number): number[] {
  const next = random(seed);
  const out: number[] = [];
  const gapFrom = START_MS + 61 * MINUTE_MS;
  for (let t = START_MS + phaseMs; t < END_MS; t += intervalMs) {
    if (t >= gapFrom && t < gapFrom + 4 * MINUTE_MS) continue;
    out.push(t + Math.floor(next() * 2000) + next() * 0.9);
  }
  out[40] = START_MS + 10 * MINUTE_MS; // on the minute
  return out.sort((a, b) => a - b);
}

function histogram(
  series: SeriesRef,
  cumulative: boolean,
  intervalMs: number,
  seed: number,
): MetricPointRow[] {
  const next = random(seed);
  const rows: MetricPointRow[] = [];
  let start = START_MS - 1000;
  let counts = [0, 0, 0, 0];
  let sum = 0;
  times(intervalMs, 3700, seed).forEach((t, i) => {
    if (cumulative && i === 300) {
      start = t - 500; // the process restarted: a new start time, totals from zero
      counts = [0, 0, 0, 0];
      sum = 0;
    }
    const added = [
      i < 60 ? 0 : Math.floor(next() * 3),
      Math.floor(next() * 6),
      1,
      next() < 0.1 ? 1 : 0,
    ];
    counts = cumulative ? counts.map((c, j) => c + (added[j] as number)) : added;
    const observations = added.reduce((a, b) => a + b, 0);
    sum = (cumulative ? sum : 0) + observations * 0.3;
    const pointStart = cumulative ? start : t - intervalMs;
    rows.push(
      pointOf(
        series,
        { timeNs: ns(t), startNs: ns(pointStart) },
        { count: counts.reduce((a, b) => a + b, 0), sum, counts: [...counts] },
      ),
    );
  });
  return rows;
}

function counter(series: SeriesRef, cumulative: boolean, intervalMs: number, seed: number) {
  let total = 0;
  return times(intervalMs, 1100, seed).map((t, i) => {
    total = cumulative ? total + 1 + (i % 3) : 1;
    const start = cumulative ? START_MS - 5000 : t - intervalMs;
    return pointOf(series, { timeNs: ns(t), startNs: ns(start) }, { value: total });
  });
}

beforeAll(async () => {
  ({ projectId } = await createOrgWithProject());
  const database = db();
  const bounds = [0.1, 0.5, 1];
  const name = "http.server.request.duration";
  const cumulativeHistogram = await newSeries(
    database,
    projectId,
    { name, type: 3, unit: "s", cumulative: true, bounds },
    { service: "shop", instance: "a" },
  );
  const deltaHistogram = await newSeries(
    database,
    projectId,
    { name, type: 3, unit: "s", bounds },
    { service: "shop", instance: "b" },
  );
  const cumulativeCounter = await newSeries(
    database,
    projectId,
    { name: "orders.placed", type: 2, cumulative: true },
    { service: "shop", instance: "a" },
  );
  const deltaCounter = await newSeries(
    database,
    projectId,
    { name: "orders.placed", type: 2 },
    { service: "shop", instance: "b" },
  );
  await writeMetricPoints(database.pool, [
    ...histogram(cumulativeHistogram, true, 10_000, 7),
    ...histogram(deltaHistogram, false, 15_000, 11),
    ...counter(cumulativeCounter, true, 10_000, 13),
    ...counter(deltaCounter, false, 15_000, 17),
  ]);
  await rollUpPending(database.pool, { nowNs: ns(ROLLED_UP_TO_MS), settleNs: 0n });
  const store = storeQuerier(database.pool, projectId);
  fast = {
    select: store.select,
    async counterWindows(...args) {
      const windows = (await store.counterWindows?.(...args)) ?? null;
      if (windows) windowsGiven++;
      return windows;
    },
  };
  samplesOnly = { select: store.select };
});

type Series = { metric: Record<string, string>; values: [number, number][] };

/** Asserts two matrix results hold the same series and steps, values within 1e-9 relative. */
function expectSame(a: QueryResult, b: QueryResult) {
  expect(a.resultType).toBe(b.resultType);
  const left = a.result as Series[];
  const right = b.result as Series[];
  expect(left.map((s) => s.metric)).toEqual(right.map((s) => s.metric));
  left.forEach((s, i) => {
    const other = right[i] as Series;
    expect(s.values.map(([t]) => t)).toEqual(other.values.map(([t]) => t));
    s.values.forEach(([, value], j) => {
      const x = Number(value);
      const y = Number(other.values[j]?.[1]);
      if (Number.isNaN(y)) expect(x).toBeNaN();
      else expect(Math.abs(x - y)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(y)));
    });
  });
  return left;
}

describe("rate() and increase() from minute rollups", () => {
  it.each([
    ["rate(http_server_request_duration_seconds_bucket[5m])", MINUTE_MS],
    ["increase(http_server_request_duration_seconds_count[1m])", MINUTE_MS],
    ["sum by (le, job) (rate(http_server_request_duration_seconds_bucket[5m]))", MINUTE_MS],
    [
      "histogram_quantile(0.95, sum by (le, job) (rate(http_server_request_duration_seconds_bucket[5m])))",
      MINUTE_MS,
    ],
    ["rate(orders_placed_total[10m] offset 2m)", MINUTE_MS],
    ["increase(orders_placed_total[3m])", 2 * MINUTE_MS],
    [
      "rate(http_server_request_duration_seconds_count[2m]) / on (instance) rate(orders_placed_total[2m])",
      MINUTE_MS,
    ],
  ])("%s equals the answer from samples", async (query, step) => {
    const before = windowsGiven;
    const from = START_MS + 2 * MINUTE_MS;
    const result = await rangeQuery(fast, query, from, END_MS + 2 * MINUTE_MS, step);
    expect(windowsGiven).toBeGreaterThan(before);
    const expected = await rangeQuery(samplesOnly, query, from, END_MS + 2 * MINUTE_MS, step);
    const series = expectSame(result, expected);
    expect(series.length).toBeGreaterThan(0);
    expect(series.reduce((n, s) => n + s.values.length, 0)).toBeGreaterThan(100);
  });

  it("equals the samples' answer in an instant query on a whole minute", async () => {
    const query = "rate(http_server_request_duration_seconds_bucket[5m])";
    for (const at of [START_MS + 10 * MINUTE_MS, ROLLED_UP_TO_MS, END_MS - MINUTE_MS]) {
      const result = await instantQuery(fast, query, at);
      const expected = await instantQuery(samplesOnly, query, at);
      expect(result.result).toHaveLength(8);
      expect(result).toEqual(expected);
    }
  });

  it("reads samples when the steps are not whole minutes", async () => {
    const before = windowsGiven;
    const query = "rate(orders_placed_total[5m])";
    const from = START_MS + 30_000;
    const result = await rangeQuery(fast, query, from, END_MS, MINUTE_MS);
    expect(windowsGiven).toBe(before);
    expectSame(result, await rangeQuery(samplesOnly, query, from, END_MS, MINUTE_MS));
  });

  it("gives a delta counter's steady rate exactly", async () => {
    // One a point, every 15 s (with jitter): 1/15 a second, away from the gap and its edges.
    const at = START_MS + 30 * MINUTE_MS;
    const result = await instantQuery(fast, 'rate(orders_placed_total{instance="b"}[10m])', at);
    const value = Number((result.result as { value: [number, number] }[])[0]?.value[1]);
    expect(value).toBeGreaterThan(1 / 15 - 0.002);
    expect(value).toBeLessThan(1 / 15 + 0.002);
  });
});
