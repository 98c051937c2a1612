// Prometheus remote write 1.0: a WriteRequest (already snappy-decompressed) decoded and turned
// into the metrics Vigil stores. A series keeps its name and labels exactly (they are read back
// as sent by PromQL); `job` and `instance` also name the Vigil service and instance it shows
// under, and counters (by Prometheus's naming: _total, _count, _sum, _bucket) are stored as
// cumulative sums so Vigil's own charts take their increases.
import { limits, storableText } from "../limits.ts";
import {
  type Metric,
  type MetricsRequest,
  MetricType,
  type NumberPoint,
  Temporality,
} from "../metrics-model.ts";
import { addRejection, DecodeError, type Rejections, type ResourceItems } from "../model.ts";
import { intValue, readerFor, WireType } from "../protobuf/wire.ts";

export type PromLabel = readonly [string, string];
export type PromSample = { timestampMs: number; value: number; stale: boolean };
export type PromSeries = { labels: PromLabel[]; samples: PromSample[] };
export type PromMetadata = { type: number; family: string; help: string; unit: string };
export type WriteRequest = { series: PromSeries[]; metadata: PromMetadata[] };

/** Labels one series may carry (Prometheus's own receivers default to no limit; 64 is generous). */
export const MAX_LABELS = 64;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function readLabel(reader: ReturnType<typeof readerFor>, end: number): PromLabel {
  let name = "";
  let value = "";
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | WireType.bytes)) name = storableText(reader.string());
    else if (tag === ((2 << 3) | WireType.bytes)) value = storableText(reader.string());
    else reader.skipType(tag & 7);
  }
  return [name, value];
}

function readSample(reader: ReturnType<typeof readerFor>, end: number): PromSample {
  let value = 0;
  let stale = false;
  let timestampMs = 0;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | WireType.fixed64)) {
      const buf = reader.buf as Buffer;
      // Prometheus marks a series' end with one particular NaN (0x7ff0000000000002).
      stale = buf.readUInt32LE(reader.pos) === 2 && buf.readUInt32LE(reader.pos + 4) === 0x7ff00000;
      value = reader.double();
    } else if (tag === ((2 << 3) | WireType.varint)) {
      timestampMs = Number(intValue(reader));
    } else reader.skipType(tag & 7);
  }
  return { timestampMs, value, stale };
}

function readSeries(reader: ReturnType<typeof readerFor>, end: number): PromSeries {
  const labels: PromLabel[] = [];
  const samples: PromSample[] = [];
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | WireType.bytes)) {
      const length = reader.uint32();
      labels.push(readLabel(reader, reader.pos + length));
    } else if (tag === ((2 << 3) | WireType.bytes)) {
      const length = reader.uint32();
      samples.push(readSample(reader, reader.pos + length));
    } else reader.skipType(tag & 7);
  }
  return { labels, samples };
}

function readMetadata(reader: ReturnType<typeof readerFor>, end: number): PromMetadata {
  const meta: PromMetadata = { type: 0, family: "", help: "", unit: "" };
  while (reader.pos < end) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    if (field === 1 && (tag & 7) === WireType.varint) meta.type = reader.int32();
    else if (field === 2 && (tag & 7) === WireType.bytes)
      meta.family = storableText(reader.string());
    else if (field === 4 && (tag & 7) === WireType.bytes) meta.help = storableText(reader.string());
    else if (field === 5 && (tag & 7) === WireType.bytes) meta.unit = storableText(reader.string());
    else reader.skipType(tag & 7);
  }
  return meta;
}

/** Decodes a WriteRequest; a body that is not one is a DecodeError (400, not retried). */
export function decodeWriteRequest(body: Uint8Array): WriteRequest {
  const reader = readerFor(body);
  const series: PromSeries[] = [];
  const metadata: PromMetadata[] = [];
  try {
    while (reader.pos < reader.len) {
      const tag = reader.uint32();
      if (tag === ((1 << 3) | WireType.bytes)) {
        const length = reader.uint32();
        series.push(readSeries(reader, reader.pos + length));
      } else if (tag === ((3 << 3) | WireType.bytes)) {
        const length = reader.uint32();
        metadata.push(readMetadata(reader, reader.pos + length));
      } else reader.skipType(tag & 7);
    }
  } catch (error) {
    if (error instanceof DecodeError) throw error;
    throw new DecodeError(
      `the body is not a remote-write WriteRequest: ${(error as Error).message}`,
    );
  }
  return { series, metadata };
}

/** Why a series' labels cannot be stored, or null. */
export function labelsProblem(labels: readonly PromLabel[]): string | null {
  if (labels.length > MAX_LABELS)
    return `a series has ${labels.length} labels; at most ${MAX_LABELS} are accepted`;
  const seen = new Set<string>();
  let name = "";
  for (const [label, value] of labels) {
    if (!LABEL_NAME.test(label)) return `"${label.slice(0, 100)}" is not a valid label name`;
    if (seen.has(label)) return `label "${label}" appears twice in one series`;
    seen.add(label);
    if (value.length > limits.stringLength)
      return `label "${label}" is longer than ${limits.stringLength} characters`;
    if (label === "__name__") name = value;
  }
  if (!name) return "a series has no __name__ label";
  if (!METRIC_NAME.test(name)) return `"${name.slice(0, 100)}" is not a valid metric name`;
  if (name.length > limits.nameLength)
    return `metric name "${name.slice(0, 40)}…" is longer than ${limits.nameLength} characters`;
  return null;
}

/** Whether Prometheus's naming makes a metric a counter (a running total). */
export function isCounterName(name: string): boolean {
  return /_(total|count|sum|bucket)$/.test(name);
}

/**
 * The write request as OTLP-shaped metrics: one resource per job and instance, one metric per
 * series. Series that cannot be stored are refused (counted with their samples, reasons kept).
 */
export function writeRequestToMetrics(write: WriteRequest): MetricsRequest {
  const rejected: Rejections = { count: 0, messages: [] };
  const resources = new Map<string, ResourceItems<Metric>>();
  let accepted = 0;
  for (const series of write.series) {
    if (series.samples.length === 0) continue;
    const problem = labelsProblem(series.labels);
    if (problem) {
      addRejection(rejected, series.samples.length, problem);
      continue;
    }
    const attributes: Record<string, string> = {};
    let name = "";
    for (const [label, value] of series.labels) {
      if (label === "__name__") name = value;
      else if (value !== "") attributes[label] = value;
    }
    const job = attributes.job ?? "";
    const instance = attributes.instance ?? "";
    const key = `${job}\u0000${instance}`;
    let resource = resources.get(key);
    if (!resource) {
      resource = {
        resource: {
          attributes: {
            ...(job ? { "service.name": job } : {}),
            ...(instance ? { "service.instance.id": instance } : {}),
          },
          droppedAttributesCount: 0,
          schemaUrl: "",
        },
        scopes: [
          { scope: { name: "prometheus", version: "", attributes: {}, schemaUrl: "" }, items: [] },
        ],
      };
      resources.set(key, resource);
    }
    const points: NumberPoint[] = series.samples.map((sample) => ({
      attributes,
      startTimeUnixNano: 0n,
      timeUnixNano: BigInt(Math.trunc(sample.timestampMs)) * 1_000_000n,
      flags: 0,
      value: sample.value,
      ...(sample.stale ? { stale: true } : {}),
    }));
    accepted += points.length;
    const metric: Metric = isCounterName(name)
      ? {
          type: MetricType.sum,
          name,
          description: "",
          unit: "",
          temporality: Temporality.cumulative,
          monotonic: true,
          points,
          prometheus: true,
        }
      : { type: MetricType.gauge, name, description: "", unit: "", points, prometheus: true };
    resource.scopes[0]?.items.push(metric);
  }
  return { resources: [...resources.values()], accepted, rejected };
}
