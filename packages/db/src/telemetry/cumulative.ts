import type { ExpBuckets, ExpHistogram, MetricPointRow } from "./metric-rows.ts";

/** The last cumulative point seen for a series. */
export type CumulativeState = {
  startNs: bigint;
  timeNs: bigint;
  value: number | null;
  count: number | null;
  sum: number | null;
  bounds: number[] | null;
  counts: number[] | null;
  exp: ExpHistogram | null;
};

export function stateOf(point: MetricPointRow): CumulativeState {
  const { startNs, timeNs, value, count, sum, bounds, counts, exp } = point;
  return { startNs, timeNs, value, count, sum, bounds, counts, exp };
}

const same = (a: number[] | null, b: number[] | null) =>
  (a ?? []).length === (b ?? []).length && (a ?? []).every((v, i) => v === b?.[i]);
const below = (a: number | null, b: number | null) => a !== null && b !== null && a < b;

/** Bucket counts by absolute index, at a scale lowered by `shift` (index i becomes i >> shift). */
function byIndex(buckets: ExpBuckets, shift: number): Map<number, number> {
  const counts = new Map<number, number>();
  buckets.bucketCounts.forEach((count, i) => {
    if (count === 0) return;
    const index = (buckets.offset + i) >> shift;
    counts.set(index, (counts.get(index) ?? 0) + count);
  });
  return counts;
}

/**
 * now − before for exponential buckets, after bringing `before` down to now's scale (SDKs lower
 * the scale as the range of values grows); null when a bucket went down (a restart).
 */
function subtractBuckets(now: ExpBuckets, before: ExpBuckets, shift: number): ExpBuckets | null {
  const current = byIndex(now, 0);
  const previous = byIndex(before, shift);
  for (const [index, count] of previous) if ((current.get(index) ?? 0) < count) return null;
  if (current.size === 0) return { offset: now.offset, bucketCounts: [] };
  const low = Math.min(...current.keys());
  const high = Math.max(...current.keys());
  const bucketCounts: number[] = [];
  for (let index = low; index <= high; index++)
    bucketCounts.push((current.get(index) ?? 0) - (previous.get(index) ?? 0));
  return { offset: low, bucketCounts };
}

/**
 * Turns a cumulative point into the increase since the previous one of its series. A new start
 * time, a monotonic value or a count that went down, or buckets that changed mean the counter
 * restarted: the point then
 * counts whole, from its own start. The first point of a series also counts whole (everything
 * since its start). A point not newer than the last one (a retry, or out of order) yields
 * nothing and leaves the state as it was.
 */
export function toDelta(
  previous: CumulativeState | undefined,
  point: MetricPointRow,
): { delta: MetricPointRow | null; state: CumulativeState } {
  if (previous && point.timeNs <= previous.timeNs) return { delta: null, state: previous };
  const whole = { delta: { ...point, cumulative: false }, state: stateOf(point) };
  if (!previous || point.startNs !== previous.startNs) return whole;
  // Only a monotonic value going down is a restart; an up-down counter may go down.
  if ((point.monotonic && below(point.value, previous.value)) || below(point.count, previous.count))
    return whole;
  if (
    !same(point.bounds, previous.bounds) ||
    (point.counts ?? []).length !== (previous.counts ?? []).length
  )
    return whole;

  let exp: ExpHistogram | null = null;
  if (point.exp) {
    const before = previous.exp;
    if (!before || point.exp.scale > before.scale) return whole;
    const shift = before.scale - point.exp.scale;
    const positive = subtractBuckets(point.exp.positive, before.positive, shift);
    const negative = subtractBuckets(point.exp.negative, before.negative, shift);
    if (!positive || !negative || point.exp.zeroCount < before.zeroCount) return whole;
    exp = { ...point.exp, zeroCount: point.exp.zeroCount - before.zeroCount, positive, negative };
  }
  const counts = point.counts?.map((count, i) => count - (previous.counts?.[i] ?? 0)) ?? null;
  if (counts?.some((count) => count < 0)) return whole;
  const minus = (a: number | null, b: number | null) => (a === null ? null : a - (b ?? 0));
  return {
    delta: {
      ...point,
      cumulative: false,
      startNs: previous.timeNs,
      value: minus(point.value, previous.value),
      count: minus(point.count, previous.count),
      sum: minus(point.sum, previous.sum),
      // min and max of a cumulative histogram cover its whole life, not this interval.
      min: null,
      max: null,
      counts,
      exp,
    },
    state: stateOf(point),
  };
}
