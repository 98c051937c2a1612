import { attributesProblem, limits } from "./limits.ts";
import { type Metric, MetricType } from "./metrics-model.ts";
import { type Attributes, addRejection, type Rejections } from "./model.ts";

/**
 * Removes the points Vigil cannot store, counting them as rejected (OTLP partial success);
 * returns how many points are kept.
 */
export function keepValidPoints(metric: Metric, rejected: Rejections): number {
  if (!metric.name) {
    addRejection(rejected, metric.points.length, "a metric has no name");
    metric.points = [];
    return 0;
  }
  if (metric.name.length > limits.nameLength) {
    addRejection(
      rejected,
      metric.points.length,
      `a metric name is longer than ${limits.nameLength} characters`,
    );
    metric.points = [];
    return 0;
  }
  if ("temporality" in metric && metric.temporality !== 1 && metric.temporality !== 2) {
    addRejection(
      rejected,
      metric.points.length,
      `metric "${metric.name}": aggregation_temporality must be delta (1) or cumulative (2)`,
    );
    metric.points = [];
    return 0;
  }
  const before = metric.points.length;
  const problems: string[] = [];
  const valid = (
    metric.points as {
      timeUnixNano: bigint;
      startTimeUnixNano: bigint;
      attributes: Attributes;
      bucketCounts?: number[];
      explicitBounds?: number[];
    }[]
  ).filter((point) => {
    if (point.timeUnixNano === 0n) {
      problems.push(`metric "${metric.name}": a point has no time_unix_nano`);
      return false;
    }
    if (point.startTimeUnixNano > point.timeUnixNano) {
      problems.push(`metric "${metric.name}": a point's start_time_unix_nano is after its time`);
      return false;
    }
    const attributes = attributesProblem(point.attributes);
    if (attributes) {
      problems.push(`metric "${metric.name}": ${attributes}`);
      return false;
    }
    if (metric.type === MetricType.histogram && point.bucketCounts && point.explicitBounds) {
      if (
        point.bucketCounts.length > 0 &&
        point.bucketCounts.length !== point.explicitBounds.length + 1
      ) {
        problems.push(
          `metric "${metric.name}": bucket_counts must have one more entry than explicit_bounds`,
        );
        return false;
      }
    }
    return true;
  });
  if (valid.length < before)
    addRejection(
      rejected,
      before - valid.length,
      problems[0] ?? `metric "${metric.name}": invalid points`,
    );
  metric.points = valid as typeof metric.points;
  return valid.length;
}
