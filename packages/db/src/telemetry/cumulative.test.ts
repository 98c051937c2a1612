import { describe, expect, it } from "vitest";
import { stateOf, toDelta } from "./cumulative.ts";
import type { MetricPointRow } from "./metric-rows.ts";

const point = (timeNs: bigint, fields: Partial<MetricPointRow> = {}): MetricPointRow => ({
  projectId: "p",
  seriesId: 1n,
  timeNs,
  startNs: 100n,
  cumulative: true,
  monotonic: true,
  value: null,
  count: null,
  sum: null,
  min: null,
  max: null,
  bounds: null,
  counts: null,
  exp: null,
  quantiles: null,
  ...fields,
});

describe("cumulative to delta", () => {
  it("counts a series' first point whole, from its start", () => {
    const { delta } = toDelta(undefined, point(200n, { value: 7 }));
    expect(delta).toMatchObject({ value: 7, startNs: 100n, cumulative: false });
  });

  it("turns the next point into the increase since the previous one", () => {
    const previous = stateOf(point(200n, { value: 7 }));
    const { delta, state } = toDelta(previous, point(300n, { value: 12 }));
    expect(delta).toMatchObject({ value: 5, startNs: 200n, timeNs: 300n });
    expect(state.value).toBe(12);
  });

  it("treats a new start time or a value that went down as a restart", () => {
    const previous = stateOf(point(200n, { value: 7 }));
    expect(toDelta(previous, point(300n, { value: 9, startNs: 250n })).delta).toMatchObject({
      value: 9,
      startNs: 250n,
    });
    expect(toDelta(previous, point(300n, { value: 3 })).delta).toMatchObject({
      value: 3,
      startNs: 100n,
    });
  });

  it("lets an up-down counter go down: a negative increase, not a restart", () => {
    const previous = stateOf(point(200n, { value: 4, monotonic: false }));
    expect(toDelta(previous, point(300n, { value: 3, monotonic: false })).delta).toMatchObject({
      value: -1,
      startNs: 200n,
    });
  });

  it("ignores a point that is not newer (a retry) and keeps the state", () => {
    const previous = stateOf(point(200n, { value: 7 }));
    expect(toDelta(previous, point(200n, { value: 7 }))).toEqual({ delta: null, state: previous });
    expect(toDelta(previous, point(150n, { value: 5 })).delta).toBeNull();
  });

  it("subtracts histogram counts, sums and buckets, and drops lifetime min and max", () => {
    const previous = stateOf(
      point(200n, { count: 4, sum: 10, bounds: [1, 5], counts: [1, 2, 1], min: 0.1, max: 9 }),
    );
    const { delta } = toDelta(
      previous,
      point(300n, { count: 7, sum: 16, bounds: [1, 5], counts: [2, 3, 2], min: 0.1, max: 9 }),
    );
    expect(delta).toMatchObject({ count: 3, sum: 6, counts: [1, 1, 1], min: null, max: null });
  });

  it("counts a histogram whole when its bounds changed", () => {
    const previous = stateOf(point(200n, { count: 4, sum: 10, bounds: [1, 5], counts: [1, 2, 1] }));
    expect(
      toDelta(previous, point(300n, { count: 5, sum: 12, bounds: [1, 2, 5], counts: [1, 1, 2, 1] }))
        .delta,
    ).toMatchObject({ count: 5, startNs: 100n });
  });

  it("brings the previous buckets down to a lower scale before subtracting", () => {
    const at = (scale: number, offset: number, counts: number[]) => ({
      scale,
      zeroCount: 0,
      zeroThreshold: 0,
      positive: { offset, bucketCounts: counts },
      negative: { offset: 0, bucketCounts: [] },
    });
    // Scale 1: indices 4 and 5 hold one each; at scale 0 both fall into index 2.
    const previous = stateOf(point(200n, { count: 2, sum: 5, exp: at(1, 4, [1, 1]) }));
    const { delta } = toDelta(
      previous,
      point(300n, { count: 3, sum: 13, exp: at(0, 2, [2, 0, 1]) }),
    );
    expect(delta?.exp?.positive).toEqual({ offset: 2, bucketCounts: [0, 0, 1] });
    expect(delta).toMatchObject({ count: 1, sum: 8, startNs: 200n });
  });

  it("subtracts exponential histogram buckets at the same scale", () => {
    const exp = (zero: number, positive: number[]) => ({
      scale: 2,
      zeroCount: zero,
      zeroThreshold: 0,
      positive: { offset: 3, bucketCounts: positive },
      negative: { offset: 0, bucketCounts: [] },
    });
    const previous = stateOf(point(200n, { count: 4, sum: 8, exp: exp(1, [1, 2]) }));
    const { delta } = toDelta(previous, point(300n, { count: 7, sum: 14, exp: exp(2, [2, 3, 1]) }));
    expect(delta?.exp).toEqual(exp(1, [1, 1, 1]));
    expect(delta?.count).toBe(3);
  });
});
