import type { Attributes, Decoded } from "./model.ts";

export const MetricType = {
  gauge: 1,
  sum: 2,
  histogram: 3,
  exponentialHistogram: 4,
  summary: 5,
} as const;
export type MetricType = (typeof MetricType)[keyof typeof MetricType];

/** AggregationTemporality: 0 unspecified, 1 delta, 2 cumulative. */
export const Temporality = { unspecified: 0, delta: 1, cumulative: 2 } as const;

type PointBase = {
  attributes: Attributes;
  startTimeUnixNano: bigint;
  timeUnixNano: bigint;
  flags: number;
};

/**
 * Gauge and Sum points; ints arrive as as_int and are kept as numbers. `stale` marks where a
 * Prometheus series ended (its staleness marker), stored without a value.
 */
export type NumberPoint = PointBase & { value: number; stale?: true };

export type HistogramPoint = PointBase & {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  bucketCounts: number[];
  explicitBounds: number[];
};

export type ExponentialBuckets = { offset: number; bucketCounts: number[] };

export type ExponentialHistogramPoint = PointBase & {
  count: number;
  sum: number | null;
  min: number | null;
  max: number | null;
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExponentialBuckets;
  negative: ExponentialBuckets;
};

export type SummaryPoint = PointBase & {
  count: number;
  sum: number;
  quantiles: { quantile: number; value: number }[];
};

/** `prometheus`: the metric arrived in Prometheus's model, its name and labels kept as sent. */
type MetricBase = { name: string; description: string; unit: string; prometheus?: boolean };

export type Metric =
  | (MetricBase & { type: typeof MetricType.gauge; points: NumberPoint[] })
  | (MetricBase & {
      type: typeof MetricType.sum;
      temporality: number;
      monotonic: boolean;
      points: NumberPoint[];
    })
  | (MetricBase & {
      type: typeof MetricType.histogram;
      temporality: number;
      points: HistogramPoint[];
    })
  | (MetricBase & {
      type: typeof MetricType.exponentialHistogram;
      temporality: number;
      points: ExponentialHistogramPoint[];
    })
  | (MetricBase & { type: typeof MetricType.summary; points: SummaryPoint[] });

/** Metrics with their valid points; `accepted` counts data points. */
export type MetricsRequest = Decoded<Metric>;
