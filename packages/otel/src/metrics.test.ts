import { JsonMetricsSerializer, ProtobufMetricsSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  AggregationType,
  DataPointType,
  MeterProvider,
  MetricReader,
  type ResourceMetrics as SdkResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import protobuf from "protobufjs/minimal.js";
import { describe, expect, it } from "vitest";
import { decodeMetricsJson } from "./json/metrics.ts";
import { type Metric, type MetricsRequest, MetricType, Temporality } from "./metrics-model.ts";
import { decodeMetricsProtobuf } from "./protobuf/metrics.ts";

class CollectingReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

const nanos = ([seconds, ns]: [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(ns);

/** Every instrument kind the JS SDK has, with cumulative temporality. */
async function recordMetrics(): Promise<SdkResourceMetrics> {
  const reader = new CollectingReader({
    aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "shop" }),
    readers: [reader],
    views: [
      {
        instrumentName: "latency.exp",
        aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
      },
    ],
  });
  const meter = provider.getMeter("shop-metrics", "3.0.0");
  const orders = meter.createCounter("business.orders", {
    description: "orders placed",
    unit: "{order}",
  });
  orders.add(3, { region: "eu" });
  orders.add(2, { region: "us" });
  const inflight = meter.createUpDownCounter("http.server.active_requests");
  inflight.add(5);
  inflight.add(-2);
  const latency = meter.createHistogram("http.server.request.duration", {
    unit: "s",
    advice: { explicitBucketBoundaries: [0.01, 0.1, 1] },
  });
  for (const seconds of [0.005, 0.05, 0.05, 0.5, 2])
    latency.record(seconds, { "http.route": "/orders" });
  const exp = meter.createHistogram("latency.exp");
  for (const value of [1, 2, 4, 8, 0, -3]) exp.record(value);
  meter
    .createObservableGauge("process.memory.usage", { unit: "By" })
    .addCallback((result) => result.observe(123_456_789, { "process.pid": 42 }));
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics;
}

const byName = (request: MetricsRequest) =>
  new Map(
    request.resources.flatMap((rm) =>
      rm.scopes.flatMap((sm) => sm.items.map((m) => [m.name, m] as const)),
    ),
  );

function expectSame(request: MetricsRequest, sdk: SdkResourceMetrics) {
  expect(request.rejected.count).toBe(0);
  const decoded = byName(request);
  const sdkMetrics = sdk.scopeMetrics.flatMap((sm) => sm.metrics);
  expect([...decoded.keys()].sort()).toEqual(sdkMetrics.map((m) => m.descriptor.name).sort());
  for (const original of sdkMetrics) {
    const metric = decoded.get(original.descriptor.name) as Metric;
    expect({ description: metric.description, unit: metric.unit }).toEqual({
      description: original.descriptor.description,
      unit: original.descriptor.unit,
    });
    expect(metric.points).toHaveLength(original.dataPoints.length);
    for (const [i, point] of original.dataPoints.entries()) {
      const got = metric.points[i] as unknown as Record<string, unknown>;
      expect(got.attributes).toEqual(point.attributes);
      expect(got.startTimeUnixNano).toBe(nanos(point.startTime));
      expect(got.timeUnixNano).toBe(nanos(point.endTime));
      const value = point.value as never as Record<string, unknown> | number;
      switch (original.dataPointType) {
        case DataPointType.SUM:
          expect(metric.type).toBe(MetricType.sum);
          expect(got.value).toBe(value);
          expect(metric.type === MetricType.sum && metric.temporality).toBe(Temporality.cumulative);
          expect(metric.type === MetricType.sum && metric.monotonic).toBe(original.isMonotonic);
          break;
        case DataPointType.GAUGE:
          expect(metric.type).toBe(MetricType.gauge);
          expect(got.value).toBe(value);
          break;
        case DataPointType.HISTOGRAM: {
          const h = value as {
            buckets: { boundaries: number[]; counts: number[] };
            sum: number;
            count: number;
            min: number;
            max: number;
          };
          expect(metric.type).toBe(MetricType.histogram);
          expect(got).toMatchObject({
            count: h.count,
            sum: h.sum,
            min: h.min,
            max: h.max,
            explicitBounds: h.buckets.boundaries,
            bucketCounts: h.buckets.counts,
          });
          break;
        }
        case DataPointType.EXPONENTIAL_HISTOGRAM: {
          const h = value as {
            count: number;
            sum: number;
            scale: number;
            zeroCount: number;
            positive: object;
            negative: object;
            min: number;
            max: number;
          };
          expect(metric.type).toBe(MetricType.exponentialHistogram);
          expect(got).toMatchObject({
            count: h.count,
            sum: h.sum,
            scale: h.scale,
            zeroCount: h.zeroCount,
            positive: h.positive,
            negative: h.negative,
            min: h.min,
            max: h.max,
          });
          break;
        }
      }
    }
  }
}

describe("decoding metrics", () => {
  it("reads back every type the official protobuf serializer writes", async () => {
    const sdk = await recordMetrics();
    const body = ProtobufMetricsSerializer.serializeRequest(sdk);
    if (!body) throw new Error("serializer returned nothing");
    expectSame(decodeMetricsProtobuf(body), sdk);
  });

  it("reads back every type the official JSON serializer writes", async () => {
    const sdk = await recordMetrics();
    const body = JsonMetricsSerializer.serializeRequest(sdk);
    if (!body) throw new Error("serializer returned nothing");
    expectSame(decodeMetricsJson(body), sdk);
  });

  it("reads summaries, which the JS SDK never produces", () => {
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: "rpc.duration",
                  summary: {
                    dataPoints: [
                      {
                        timeUnixNano: "1795000000000000000",
                        count: "10",
                        sum: 4.5,
                        quantileValues: [
                          { quantile: 0.5, value: 0.3 },
                          { quantile: 0.99, value: 1.2 },
                        ],
                      },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeMetricsJson(new TextEncoder().encode(JSON.stringify(body)));
    expect(byName(decoded).get("rpc.duration")).toMatchObject({
      type: MetricType.summary,
      points: [
        {
          count: 10,
          sum: 4.5,
          quantiles: [
            { quantile: 0.5, value: 0.3 },
            { quantile: 0.99, value: 1.2 },
          ],
        },
      ],
    });
  });

  it("rejects points it cannot store and keeps the others", () => {
    const point = { timeUnixNano: "1795000000000000000", asInt: "1" };
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: "", gauge: { dataPoints: [point] } },
                { name: "no.temporality", sum: { dataPoints: [point, point] } },
                {
                  name: "bad.buckets",
                  histogram: {
                    aggregationTemporality: 1,
                    dataPoints: [
                      { ...point, count: "1", bucketCounts: ["1"], explicitBounds: [1, 2] },
                    ],
                  },
                },
                { name: "ok", gauge: { dataPoints: [point, { asDouble: 1 }] } },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeMetricsJson(new TextEncoder().encode(JSON.stringify(body)));
    expect(decoded.accepted).toBe(1);
    expect(decoded.rejected.count).toBe(5);
    expect(decoded.rejected.messages.join("\n")).toMatch(
      /no name[\s\S]*aggregation_temporality[\s\S]*bucket_counts[\s\S]*no time_unix_nano/,
    );
  });
  it("reads 64-bit histogram counts exactly up to 2^53 and clamps larger ones", () => {
    const W = protobuf.Writer;
    const fixed64 = (writer: protobuf.Writer, value: bigint) =>
      writer.fixed32(Number(value & 0xffffffffn)).fixed32(Number(value >> 32n));
    const counts = W.create();
    for (const count of [0n, 2n ** 40n + 3n, 2n ** 53n - 1n, 2n ** 53n + 5n, 2n ** 64n - 1n])
      fixed64(counts, count);
    const point = W.create();
    fixed64(point.uint32((3 << 3) | 1), 1795000000000000000n);
    fixed64(point.uint32((4 << 3) | 1), 2n ** 60n);
    point.uint32((6 << 3) | 2).bytes(counts.finish());
    const bounds = W.create();
    for (const bound of [1, 2, 3, 4]) bounds.double(bound);
    point.uint32((7 << 3) | 2).bytes(bounds.finish());
    const histogram = W.create()
      .uint32((1 << 3) | 2)
      .bytes(point.finish())
      .uint32((2 << 3) | 0)
      .uint32(2);
    const metric = W.create()
      .uint32((1 << 3) | 2)
      .string("big.counts")
      .uint32((9 << 3) | 2)
      .bytes(histogram.finish());
    const scope = W.create()
      .uint32((2 << 3) | 2)
      .bytes(metric.finish());
    const resource = W.create()
      .uint32((2 << 3) | 2)
      .bytes(scope.finish());
    const body = W.create()
      .uint32((1 << 3) | 2)
      .bytes(resource.finish())
      .finish();
    expect(byName(decodeMetricsProtobuf(body)).get("big.counts")).toMatchObject({
      points: [
        {
          count: Number.MAX_SAFE_INTEGER,
          bucketCounts: [
            0,
            2 ** 40 + 3,
            Number.MAX_SAFE_INTEGER,
            Number.MAX_SAFE_INTEGER,
            Number.MAX_SAFE_INTEGER,
          ],
        },
      ],
    });
  });
});
