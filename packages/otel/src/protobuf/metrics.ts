import {
  type ExponentialBuckets,
  type ExponentialHistogramPoint,
  type HistogramPoint,
  type Metric,
  type MetricsRequest,
  MetricType,
  type NumberPoint,
  type SummaryPoint,
} from "../metrics-model.ts";
import { keepValidPoints } from "../metrics-validate.ts";
import { DecodeError } from "../model.ts";
import { keyValue } from "./common.ts";
import { decodeEnvelope } from "./envelope.ts";
import {
  countValue,
  fixed64,
  fixed64Count,
  messageEnd,
  type Reader,
  readFields,
  text,
  varint64,
  WireType,
} from "./wire.ts";

// opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest and metrics.v1, by field number.

export function decodeMetricsProtobuf(body: Uint8Array): MetricsRequest {
  return decodeEnvelope(body, { read: metric, keep: keepValidPoints });
}

/**
 * Metric: 1 name, 2 description, 3 unit, 5 gauge, 7 sum, 9 histogram, 10 exponential_histogram,
 * 11 summary. A metric with no data (none of the five) is skipped.
 */
function metric(reader: Reader, end: number): Metric | null {
  let name = "";
  let description = "";
  let unit = "";
  let data: Metric | null = null;
  readFields(reader, end, (field, wireType) => {
    if (wireType !== WireType.bytes) return false;
    const base = { name: "", description: "", unit: "" };
    switch (field) {
      case 1:
        name = text(reader);
        return true;
      case 2:
        description = text(reader);
        return true;
      case 3:
        unit = text(reader);
        return true;
      case 5: {
        const points: NumberPoint[] = [];
        readFields(reader, messageEnd(reader), (f, w) => {
          if (f !== 1 || w !== WireType.bytes) return false;
          points.push(numberPoint(reader, messageEnd(reader)));
          return true;
        });
        data = { ...base, type: MetricType.gauge, points };
        return true;
      }
      case 7: {
        const points: NumberPoint[] = [];
        let temporality = 0;
        let monotonic = false;
        readFields(reader, messageEnd(reader), (f, w) => {
          if (f === 1 && w === WireType.bytes) points.push(numberPoint(reader, messageEnd(reader)));
          else if (f === 2 && w === WireType.varint) temporality = reader.uint32();
          else if (f === 3 && w === WireType.varint) monotonic = reader.bool();
          else return false;
          return true;
        });
        data = { ...base, type: MetricType.sum, temporality, monotonic, points };
        return true;
      }
      case 9: {
        const points: HistogramPoint[] = [];
        let temporality = 0;
        readFields(reader, messageEnd(reader), (f, w) => {
          if (f === 1 && w === WireType.bytes)
            points.push(histogramPoint(reader, messageEnd(reader)));
          else if (f === 2 && w === WireType.varint) temporality = reader.uint32();
          else return false;
          return true;
        });
        data = { ...base, type: MetricType.histogram, temporality, points };
        return true;
      }
      case 10: {
        const points: ExponentialHistogramPoint[] = [];
        let temporality = 0;
        readFields(reader, messageEnd(reader), (f, w) => {
          if (f === 1 && w === WireType.bytes)
            points.push(exponentialPoint(reader, messageEnd(reader)));
          else if (f === 2 && w === WireType.varint) temporality = reader.uint32();
          else return false;
          return true;
        });
        data = { ...base, type: MetricType.exponentialHistogram, temporality, points };
        return true;
      }
      case 11: {
        const points: SummaryPoint[] = [];
        readFields(reader, messageEnd(reader), (f, w) => {
          if (f !== 1 || w !== WireType.bytes) return false;
          points.push(summaryPoint(reader, messageEnd(reader)));
          return true;
        });
        data = { ...base, type: MetricType.summary, points };
        return true;
      }
    }
    return false;
  });
  if (!data) return null;
  return Object.assign(data as Metric, { name, description, unit });
}

/** NumberDataPoint: 7 attributes, 2 start, 3 time, 4 as_double, 6 as_int (sfixed64), 8 flags. */
function numberPoint(reader: Reader, end: number): NumberPoint {
  const point: NumberPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    flags: 0,
    value: 0,
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 7 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), point.attributes);
    else if (field === 2 && wireType === WireType.fixed64)
      point.startTimeUnixNano = fixed64(reader);
    else if (field === 3 && wireType === WireType.fixed64) point.timeUnixNano = fixed64(reader);
    else if (field === 4 && wireType === WireType.fixed64) point.value = reader.double();
    else if (field === 6 && wireType === WireType.fixed64)
      point.value = Number(BigInt.asIntN(64, fixed64(reader)));
    else if (field === 8 && wireType === WireType.varint) point.flags = reader.uint32();
    else return false;
    return true;
  });
  return point;
}

/**
 * HistogramDataPoint: 9 attributes, 2 start, 3 time, 4 count (fixed64), 5 sum, 6 bucket_counts
 * (packed fixed64), 7 explicit_bounds (packed double), 10 flags, 11 min, 12 max.
 */
function histogramPoint(reader: Reader, end: number): HistogramPoint {
  const point: HistogramPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    flags: 0,
    count: 0,
    sum: null,
    min: null,
    max: null,
    bucketCounts: [],
    explicitBounds: [],
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 9 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), point.attributes);
    else if (field === 2 && wireType === WireType.fixed64)
      point.startTimeUnixNano = fixed64(reader);
    else if (field === 3 && wireType === WireType.fixed64) point.timeUnixNano = fixed64(reader);
    else if (field === 4 && wireType === WireType.fixed64) point.count = fixed64Count(reader);
    else if (field === 5 && wireType === WireType.fixed64) point.sum = reader.double();
    else if (field === 6 && wireType === WireType.bytes)
      point.bucketCounts = packed(reader, () => fixed64Count(reader));
    else if (field === 6 && wireType === WireType.fixed64)
      point.bucketCounts.push(fixed64Count(reader));
    else if (field === 7 && wireType === WireType.bytes)
      point.explicitBounds = packed(reader, () => reader.double());
    else if (field === 7 && wireType === WireType.fixed64)
      point.explicitBounds.push(reader.double());
    else if (field === 10 && wireType === WireType.varint) point.flags = reader.uint32();
    else if (field === 11 && wireType === WireType.fixed64) point.min = reader.double();
    else if (field === 12 && wireType === WireType.fixed64) point.max = reader.double();
    else return false;
    return true;
  });
  return point;
}

/**
 * ExponentialHistogramDataPoint: 1 attributes, 2 start, 3 time, 4 count, 5 sum, 6 scale (sint32),
 * 7 zero_count, 8 positive, 9 negative, 10 flags, 12 min, 13 max, 14 zero_threshold.
 */
function exponentialPoint(reader: Reader, end: number): ExponentialHistogramPoint {
  const point: ExponentialHistogramPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    flags: 0,
    count: 0,
    sum: null,
    min: null,
    max: null,
    scale: 0,
    zeroCount: 0,
    zeroThreshold: 0,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), point.attributes);
    else if (field === 2 && wireType === WireType.fixed64)
      point.startTimeUnixNano = fixed64(reader);
    else if (field === 3 && wireType === WireType.fixed64) point.timeUnixNano = fixed64(reader);
    else if (field === 4 && wireType === WireType.fixed64) point.count = fixed64Count(reader);
    else if (field === 5 && wireType === WireType.fixed64) point.sum = reader.double();
    else if (field === 6 && wireType === WireType.varint) point.scale = reader.sint32();
    else if (field === 7 && wireType === WireType.fixed64) point.zeroCount = fixed64Count(reader);
    else if (field === 8 && wireType === WireType.bytes)
      point.positive = buckets(reader, messageEnd(reader));
    else if (field === 9 && wireType === WireType.bytes)
      point.negative = buckets(reader, messageEnd(reader));
    else if (field === 10 && wireType === WireType.varint) point.flags = reader.uint32();
    else if (field === 12 && wireType === WireType.fixed64) point.min = reader.double();
    else if (field === 13 && wireType === WireType.fixed64) point.max = reader.double();
    else if (field === 14 && wireType === WireType.fixed64) point.zeroThreshold = reader.double();
    else return false;
    return true;
  });
  return point;
}

/** Buckets: 1 offset (sint32), 2 bucket_counts (packed uint64). */
function buckets(reader: Reader, end: number): ExponentialBuckets {
  const result: ExponentialBuckets = { offset: 0, bucketCounts: [] };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.varint) result.offset = reader.sint32();
    else if (field === 2 && wireType === WireType.bytes)
      result.bucketCounts = packed(reader, () => countValue(varint64(reader)));
    else if (field === 2 && wireType === WireType.varint)
      result.bucketCounts.push(countValue(varint64(reader)));
    else return false;
    return true;
  });
  return result;
}

/** SummaryDataPoint: 7 attributes, 2 start, 3 time, 4 count, 5 sum, 6 quantile_values, 8 flags. */
function summaryPoint(reader: Reader, end: number): SummaryPoint {
  const point: SummaryPoint = {
    attributes: {},
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    flags: 0,
    count: 0,
    sum: 0,
    quantiles: [],
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 7 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), point.attributes);
    else if (field === 2 && wireType === WireType.fixed64)
      point.startTimeUnixNano = fixed64(reader);
    else if (field === 3 && wireType === WireType.fixed64) point.timeUnixNano = fixed64(reader);
    else if (field === 4 && wireType === WireType.fixed64) point.count = fixed64Count(reader);
    else if (field === 5 && wireType === WireType.fixed64) point.sum = reader.double();
    else if (field === 6 && wireType === WireType.bytes) {
      // ValueAtQuantile: 1 quantile, 2 value.
      const quantile = { quantile: 0, value: 0 };
      readFields(reader, messageEnd(reader), (f, w) => {
        if (f === 1 && w === WireType.fixed64) quantile.quantile = reader.double();
        else if (f === 2 && w === WireType.fixed64) quantile.value = reader.double();
        else return false;
        return true;
      });
      point.quantiles.push(quantile);
    } else if (field === 8 && wireType === WireType.varint) point.flags = reader.uint32();
    else return false;
    return true;
  });
  return point;
}

function packed<T>(reader: Reader, read: () => T): T[] {
  const end = messageEnd(reader);
  const values: T[] = [];
  while (reader.pos < end) values.push(read());
  if (reader.pos !== end) throw new DecodeError("a packed field ran past its end");
  return values;
}
