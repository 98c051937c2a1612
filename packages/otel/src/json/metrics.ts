import {
  type ExponentialBuckets,
  type Metric,
  type MetricsRequest,
  MetricType,
  type NumberPoint,
} from "../metrics-model.ts";
import { keepValidPoints } from "../metrics-validate.ts";
import { attributes, double, int64, type Json, list, object, text, uint } from "./common.ts";
import { decodeJsonEnvelope } from "./envelope.ts";

/** Decodes an ExportMetricsServiceRequest in OTLP/JSON. */
export function decodeMetricsJson(body: Uint8Array): MetricsRequest {
  return decodeJsonEnvelope(
    body,
    { resources: "resourceMetrics", scopes: "scopeMetrics", items: "metrics" },
    (value, path) => metric(object(value, path), path),
    keepValidPoints,
  );
}

const optionalDouble = (value: unknown, path: string) =>
  value === undefined || value === null ? null : double(value, path);
const count = (value: unknown, path: string) => Number(int64(value, path));
const counts = (value: unknown, path: string) =>
  list(value, path).map((item, i) => count(item, `${path}[${i}]`));

function base(point: Json, path: string) {
  return {
    attributes: attributes(point.attributes, `${path}.attributes`),
    startTimeUnixNano: int64(point.startTimeUnixNano, `${path}.startTimeUnixNano`),
    timeUnixNano: int64(point.timeUnixNano, `${path}.timeUnixNano`),
    flags: uint(point.flags, `${path}.flags`),
  };
}

function numberPoints(data: Json, path: string): NumberPoint[] {
  return list(data.dataPoints, `${path}.dataPoints`).map((value, i) => {
    const p = object(value, `${path}.dataPoints[${i}]`);
    const at = `${path}.dataPoints[${i}]`;
    const number =
      "asInt" in p ? Number(int64(p.asInt, `${at}.asInt`)) : double(p.asDouble, `${at}.asDouble`);
    return { ...base(p, at), value: number };
  });
}

function expBuckets(value: unknown, path: string): ExponentialBuckets {
  const b = object(value, path);
  return {
    offset: Number(int64(b.offset, `${path}.offset`)),
    bucketCounts: counts(b.bucketCounts, `${path}.bucketCounts`),
  };
}

function metric(m: Json, path: string): Metric | null {
  const head = {
    name: text(m.name, `${path}.name`),
    description: text(m.description, `${path}.description`),
    unit: text(m.unit, `${path}.unit`),
  };
  if (m.gauge)
    return {
      ...head,
      type: MetricType.gauge,
      points: numberPoints(object(m.gauge, `${path}.gauge`), `${path}.gauge`),
    };
  if (m.sum) {
    const sum = object(m.sum, `${path}.sum`);
    return {
      ...head,
      type: MetricType.sum,
      temporality: uint(sum.aggregationTemporality, `${path}.sum.aggregationTemporality`),
      monotonic: sum.isMonotonic === true,
      points: numberPoints(sum, `${path}.sum`),
    };
  }
  if (m.histogram) {
    const h = object(m.histogram, `${path}.histogram`);
    return {
      ...head,
      type: MetricType.histogram,
      temporality: uint(h.aggregationTemporality, `${path}.histogram.aggregationTemporality`),
      points: list(h.dataPoints, `${path}.histogram.dataPoints`).map((value, i) => {
        const at = `${path}.histogram.dataPoints[${i}]`;
        const p = object(value, at);
        return {
          ...base(p, at),
          count: count(p.count, `${at}.count`),
          sum: optionalDouble(p.sum, `${at}.sum`),
          min: optionalDouble(p.min, `${at}.min`),
          max: optionalDouble(p.max, `${at}.max`),
          bucketCounts: counts(p.bucketCounts, `${at}.bucketCounts`),
          explicitBounds: list(p.explicitBounds, `${at}.explicitBounds`).map((b, j) =>
            double(b, `${at}.explicitBounds[${j}]`),
          ),
        };
      }),
    };
  }
  if (m.exponentialHistogram) {
    const h = object(m.exponentialHistogram, `${path}.exponentialHistogram`);
    return {
      ...head,
      type: MetricType.exponentialHistogram,
      temporality: uint(
        h.aggregationTemporality,
        `${path}.exponentialHistogram.aggregationTemporality`,
      ),
      points: list(h.dataPoints, `${path}.exponentialHistogram.dataPoints`).map((value, i) => {
        const at = `${path}.exponentialHistogram.dataPoints[${i}]`;
        const p = object(value, at);
        return {
          ...base(p, at),
          count: count(p.count, `${at}.count`),
          sum: optionalDouble(p.sum, `${at}.sum`),
          min: optionalDouble(p.min, `${at}.min`),
          max: optionalDouble(p.max, `${at}.max`),
          scale: Number(int64(p.scale, `${at}.scale`)),
          zeroCount: count(p.zeroCount, `${at}.zeroCount`),
          zeroThreshold: double(p.zeroThreshold, `${at}.zeroThreshold`),
          positive: expBuckets(p.positive, `${at}.positive`),
          negative: expBuckets(p.negative, `${at}.negative`),
        };
      }),
    };
  }
  if (m.summary) {
    const s = object(m.summary, `${path}.summary`);
    return {
      ...head,
      type: MetricType.summary,
      points: list(s.dataPoints, `${path}.summary.dataPoints`).map((value, i) => {
        const at = `${path}.summary.dataPoints[${i}]`;
        const p = object(value, at);
        return {
          ...base(p, at),
          count: count(p.count, `${at}.count`),
          sum: double(p.sum, `${at}.sum`),
          quantiles: list(p.quantileValues, `${at}.quantileValues`).map((q, j) => {
            const qv = object(q, `${at}.quantileValues[${j}]`);
            return {
              quantile: double(qv.quantile, `${at}.quantileValues[${j}].quantile`),
              value: double(qv.value, `${at}.quantileValues[${j}].value`),
            };
          }),
        };
      }),
    };
  }
  return null;
}
