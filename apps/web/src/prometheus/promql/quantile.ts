// Quantiles as Prometheus computes them: of plain values (quantile, quantile_over_time) and of
// classic histogram buckets (histogram_quantile).

/** The φ-quantile of values, interpolating linearly between ranks (φ outside [0, 1] is ±Inf). */
export function quantile(q: number, values: number[]): number {
  if (values.length === 0 || Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return (sorted[lower] as number) * (1 - weight) + (sorted[upper] as number) * weight;
}

export type Bucket = { upperBound: number; count: number };

/**
 * The φ-quantile of a classic histogram's cumulative buckets: linear interpolation inside the
 * bucket the rank falls in; NaN without a +Inf bucket or observations; the highest finite bound
 * when the rank falls in the +Inf bucket.
 */
export function bucketQuantile(q: number, input: Bucket[]): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  const sorted = [...input].sort((a, b) => a.upperBound - b.upperBound);
  if (sorted.length === 0 || sorted[sorted.length - 1]?.upperBound !== Number.POSITIVE_INFINITY)
    return Number.NaN;
  // Buckets with the same bound add up; counts that go down are raised (scrapes are not atomic).
  const buckets: Bucket[] = [];
  for (const b of sorted) {
    const last = buckets[buckets.length - 1];
    if (last && last.upperBound === b.upperBound) last.count += b.count;
    else buckets.push({ ...b });
  }
  let max = Number.NEGATIVE_INFINITY;
  for (const b of buckets) {
    if (b.count > max) max = b.count;
    else if (b.count < max) b.count = max;
  }
  if (buckets.length < 2) return Number.NaN;
  const observations = (buckets[buckets.length - 1] as Bucket).count;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = 0;
  while (b < buckets.length - 1 && (buckets[b] as Bucket).count < rank) b++;
  if (b === buckets.length - 1) return (buckets[buckets.length - 2] as Bucket).upperBound;
  if (b === 0 && (buckets[0] as Bucket).upperBound <= 0) return (buckets[0] as Bucket).upperBound;
  let bucketStart = 0;
  const bucketEnd = (buckets[b] as Bucket).upperBound;
  let count = (buckets[b] as Bucket).count;
  if (b > 0) {
    const previous = buckets[b - 1] as Bucket;
    bucketStart = previous.upperBound;
    count -= previous.count;
    rank -= previous.count;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}
