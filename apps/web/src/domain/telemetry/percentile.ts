/**
 * The q-quantile (0..1) of an explicit-bucket histogram: bucket i holds values up to bounds[i],
 * the last bucket everything above. Within the bucket the rank falls in, values are assumed evenly
 * spread (linear interpolation), as Prometheus's histogram_quantile does; known min and max bound
 * the first and last buckets.
 */
export function histogramQuantile(
  q: number,
  bounds: number[],
  counts: number[],
  min: number | null = null,
  max: number | null = null,
): number | null {
  const total = counts.reduce((sum, count) => sum + count, 0);
  if (total <= 0 || counts.length !== bounds.length + 1) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const count = counts[i] ?? 0;
    if (below + count >= rank && count > 0) {
      const lower = i === 0 ? (min ?? Math.min(0, bounds[0] ?? 0)) : (bounds[i - 1] ?? 0);
      const upper = i < bounds.length ? (bounds[i] ?? 0) : (max ?? bounds[bounds.length - 1] ?? 0);
      const value = lower + ((upper - lower) * (rank - below)) / count;
      return Math.min(max ?? value, Math.max(min ?? value, value));
    }
    below += count;
  }
  return max ?? bounds[bounds.length - 1] ?? null;
}
