import { db } from "@vigil/db";
import {
  type MetricPointRow,
  rollUpPending,
  rollupState,
  writeMetricPoints,
} from "@vigil/db/telemetry";
import { setupTestDatabase } from "@vigil/db/testing";
import { newSeries, pointOf, type SeriesRef } from "@vigil/db/testing/metrics";
import { beforeAll, describe, expect, it } from "vitest";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { type Querier, rangeQuery } from "./promql/query.ts";
import { storeQuerier } from "./querier.ts";
import { cachedRangeQuery } from "./results-cache.ts";

// A range query asked again with its window moved on evaluates only the steps it has not
// answered before, and answers exactly as without the cache: through points that arrive late
// (pending, then rolled up again), and for expressions whose steps depend on the query's bounds.

setupTestDatabase();

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const START_MS = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 3 * HOUR_MS;
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

let projectId: string;
let series: SeriesRef;
let store: Querier;
/** The time spans the store was asked for, by select or counter windows. */
let asked: { from: number; to: number }[] = [];
let counting: Querier;

function points(fromMs: number, toMs: number, value = 1): MetricPointRow[] {
  const rows: MetricPointRow[] = [];
  for (let t = fromMs + 5_000; t < toMs; t += 10_000)
    rows.push(pointOf(series, { timeNs: ns(t), startNs: ns(t - 10_000) }, { value }));
  return rows;
}

beforeAll(async () => {
  ({ projectId } = await createOrgWithProject());
  series = await newSeries(db(), projectId, { name: "orders.placed", type: 2 });
  await writeMetricPoints(db().pool, points(START_MS, START_MS + 2 * HOUR_MS));
  await rollUpPending(db().pool, { settleNs: 0n });
  store = storeQuerier(db().pool, projectId);
  counting = {
    select(matchers, mint, maxt) {
      asked.push({ from: mint, to: maxt });
      return store.select(matchers, mint, maxt);
    },
    counterWindows(matchers, window) {
      asked.push({ from: window.ends[0] as number, to: window.ends.at(-1) as number });
      return store.counterWindows?.(matchers, window) ?? Promise.resolve(null);
    },
  };
});

async function cached(query: string, start: number, end: number) {
  const scope = { projectId, state: await rollupState(db().pool, projectId), nowMs: Date.now() };
  asked = [];
  return cachedRangeQuery(counting, scope, query, start, end, MINUTE_MS);
}

const QUERY = "sum(rate(orders_placed_total[5m])) * 60";

describe("range-query results kept between refreshes", () => {
  it("evaluates only the steps a moved window adds, with the same answer", async () => {
    const start = START_MS + 10 * MINUTE_MS;
    const first = await cached(QUERY, start, start + HOUR_MS);
    expect(first).toEqual(await rangeQuery(store, QUERY, start, start + HOUR_MS, MINUTE_MS));
    const moved = await cached(QUERY, start + 2 * MINUTE_MS, start + HOUR_MS + 2 * MINUTE_MS);
    // Only the two new steps' windows were read.
    expect(asked.every(({ from }) => from >= start + HOUR_MS)).toBe(true);
    expect(asked.length).toBeGreaterThan(0);
    expect(moved).toEqual(
      await rangeQuery(
        store,
        QUERY,
        start + 2 * MINUTE_MS,
        start + HOUR_MS + 2 * MINUTE_MS,
        MINUTE_MS,
      ),
    );
    const values = (moved.result as { values: [number, number][] }[])[0]?.values ?? [];
    expect(values).toHaveLength(61);
    // Six a minute, one a point every 10 s.
    expect(values[30]?.[1]).toBeCloseTo(6, 9);
  });

  it("answers with points that arrived late, while pending and once rolled up again", async () => {
    const start = START_MS + 20 * MINUTE_MS;
    const end = start + 30 * MINUTE_MS;
    await cached(QUERY, start, end);
    const again = await cached(QUERY, start, end);
    expect(asked).toEqual([]); // all of it from the cache
    // Five points worth 100 each land in a minute the cache answered from.
    const late = START_MS + 35 * MINUTE_MS;
    await writeMetricPoints(
      db().pool,
      [1, 2, 3, 4, 5].map((i) =>
        pointOf(series, { timeNs: ns(late + i * 10_000 + 1), startNs: ns(late) }, { value: 100 }),
      ),
    );
    const pending = await cached(QUERY, start, end);
    expect(pending).toEqual(await rangeQuery(store, QUERY, start, end, MINUTE_MS));
    expect(pending).not.toEqual(again);
    await rollUpPending(db().pool, { settleNs: 0n });
    const rolled = await cached(QUERY, start, end);
    expect(asked.length).toBeGreaterThan(0);
    expect(rolled).toEqual(await rangeQuery(store, QUERY, start, end, MINUTE_MS));
    expect(rolled).toEqual(pending);
  });

  it.each([
    ["tied to the query's end", "sum(rate(orders_placed_total[5m] @ end()))"],
    ["reading a running total's level", "max_over_time(orders_placed_total[5m])"],
  ])("keeps nothing of an expression %s", async (_why, query) => {
    const start = START_MS + 40 * MINUTE_MS;
    await cached(query, start, start + 10 * MINUTE_MS);
    const moved = await cached(query, start + MINUTE_MS, start + 11 * MINUTE_MS);
    expect(asked.some(({ from }) => from < start + 10 * MINUTE_MS)).toBe(true);
    expect(moved).toEqual(
      await rangeQuery(store, query, start + MINUTE_MS, start + 11 * MINUTE_MS, MINUTE_MS),
    );
  });
});
