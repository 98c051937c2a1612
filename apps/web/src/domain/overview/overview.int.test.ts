import { SpanKind, SpanStatusCode } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { registerInstance, updateCheck } from "../../registry/registry.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { setupIngest } from "../../testing/ingest-setup.ts";
import { createApiKey } from "../keys/api-keys.ts";
import { projectOverview } from "./overview.ts";
import { windowFor } from "./time-range.ts";

const plane = setupIngest();

class CollectingReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

const exporterOptions = (path: string) => ({
  url: `${plane.url}${path}`,
  headers: { authorization: `Bearer ${plane.ingestKey}` },
});
const done =
  (resolve: () => void, reject: (error: unknown) => void) =>
  (result: { code: ExportResultCode; error?: Error }) =>
    result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error);

/** 100 requests of "checkout": 95 × 20 ms answered 200 and 5 × 600 ms answered 500. */
async function sendCheckoutLatency() {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "checkout", "service.instance.id": "c-1" }),
    readers: [reader],
  });
  const histogram = provider.getMeter("test").createHistogram("http.server.request.duration", {
    unit: "s",
    advice: {
      explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5],
    },
  });
  for (let i = 0; i < 95; i++)
    histogram.record(0.02, { "http.request.method": "GET", "http.response.status_code": 200 });
  for (let i = 0; i < 5; i++)
    histogram.record(0.6, { "http.request.method": "GET", "http.response.status_code": 500 });
  // Its runtime, as the agent reports it, and what it sold.
  const meter = provider.getMeter("test");
  meter.createGauge("process.cpu.utilization").record(0.25);
  meter.createGauge("process.memory.usage", { unit: "By" }).record(100 * 1024 * 1024);
  meter.createGauge("nodejs.eventloop.delay.p99", { unit: "s" }).record(0.012);
  meter.createCounter("business.orders").add(3);
  meter.createCounter("business.revenue").add(42.5, { currency: "EUR" });
  const { resourceMetrics } = await reader.collect();
  const exporter = new OTLPMetricExporter(exporterOptions("/v1/metrics"));
  await new Promise<void>((resolve, reject) =>
    exporter.export(resourceMetrics, done(resolve, reject)),
  );
}

/** A service that sends only traces: four server spans of 10–40 ms, one failed. */
async function sendBillingSpans() {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ "service.name": "billing" }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("test");
  const start = Date.now() - 5_000;
  for (const [i, ms] of [10, 20, 30, 40].entries()) {
    const span = tracer.startSpan("POST /charge", { kind: SpanKind.SERVER, startTime: start + i });
    if (i === 3) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end(start + i + ms);
  }
  await provider.forceFlush();
  const exporter = new OTLPTraceExporter(exporterOptions("/v1/traces"));
  await new Promise<void>((resolve, reject) =>
    exporter.export(memory.getFinishedSpans(), done(resolve, reject)),
  );
}

/** One instance of "api": `ok` requests answered 200, `failed` answered 503, and its view of shard s-1. */
async function sendInstance(
  key: string,
  instance: string,
  load: { ok: number; failed: number; shardRows: number },
) {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ "service.name": "api", "service.instance.id": instance }),
    readers: [reader],
  });
  const meter = provider.getMeter("test");
  const histogram = meter.createHistogram("http.server.request.duration", { unit: "s" });
  for (let i = 0; i < load.ok; i++) histogram.record(0.01, { "http.response.status_code": 200 });
  for (let i = 0; i < load.failed; i++)
    histogram.record(0.01, { "http.response.status_code": 503 });
  meter
    .createGauge("vigil.shard.rows")
    .record(load.shardRows, { "vigil.shard.id": "s-1", "vigil.shard.store": "events" });
  const { resourceMetrics } = await reader.collect();
  const exporter = new OTLPMetricExporter({
    url: `${plane.url}/v1/metrics`,
    headers: { authorization: `Bearer ${key}` },
  });
  await new Promise<void>((resolve, reject) =>
    exporter.export(resourceMetrics, done(resolve, reject)),
  );
}

describe("the project overview", () => {
  it("shows each service's throughput, error rate and percentiles, worst first, with registry health", async () => {
    await sendCheckoutLatency();
    await sendBillingSpans();
    await registerInstance(plane.projectId, {
      Name: "billing",
      ID: "billing-1",
      Check: { TTL: "10m", Status: "passing" },
    });
    await updateCheck(plane.projectId, "service:billing-1", "warning", "queue backing up");

    const window = windowFor("1h");
    const overview = await projectOverview(plane.projectId, window);
    const [billing, checkout] = overview.services;
    // billing: 25 % errors and a warning instance → first; its latency from its spans.
    expect(billing).toMatchObject({
      service: "billing",
      requests: 4,
      errors: 1,
      errorRate: 0.25,
      grade: "bad",
      health: "warning",
      instances: { registered: 1, passing: 0 },
    });
    expect(billing?.p50).toBeCloseTo(25, 6); // percentile_cont of 10, 20, 30, 40 ms
    // checkout: 5 % errors from status codes; p95 from the merged histogram buckets.
    expect(checkout).toMatchObject({
      service: "checkout",
      requests: 100,
      errors: 5,
      errorRate: 0.05,
      grade: "warning",
      health: null,
    });
    expect(checkout?.p95).toBeCloseTo(25, 6); // the 95th value is the top of (10 ms, 25 ms]
    expect(checkout?.p99).toBeCloseTo(700, 6); // 4/5 into (500 ms, 750 ms]
    // Per second over the time checkout has data: its histogram began moments ago, not an hour.
    expect(checkout?.coveredSeconds).toBeLessThan(60);
    expect(checkout?.rate).toBeCloseTo(100 / (checkout?.coveredSeconds ?? 0), 9);
    expect(checkout?.spark.reduce((sum, step) => sum + step.requests, 0)).toBe(100);

    expect(overview.infrastructure).toEqual([
      {
        service: "checkout",
        instances: 1,
        cpu: 0.25,
        memory: 100 * 1024 * 1024,
        network: null,
        eventLoopP99: 12,
      },
    ]);
    expect(overview.business.map(({ name, kind, total }) => ({ name, kind, total }))).toEqual([
      { name: "business.orders", kind: "count", total: 3 },
      { name: "business.revenue", kind: "count", total: 42.5 },
    ]);
    // Steps without orders count zero, so the chart covers the whole range.
    const orders = overview.business[0];
    expect(orders?.points).toHaveLength(30);
    expect(orders?.points.reduce((sum, point) => sum + point.value, 0)).toBe(3);
  });

  it("shows how a service's requests spread over its instances, and a shard measured by several instances once", async () => {
    const { projectId } = await createOrgWithProject();
    const { secret } = await createApiKey({ projectId, name: "api", scope: "ingest" });
    await sendInstance(secret, "api-1", { ok: 69, failed: 3, shardRows: 1000 });
    await sendInstance(secret, "api-2", { ok: 24, failed: 0, shardRows: 1000 });
    await sendInstance(secret, "api-3", { ok: 24, failed: 0, shardRows: 1010 });
    const overview = await projectOverview(projectId, windowFor("1h"));
    expect(overview.balances).toEqual([
      {
        service: "api",
        environment: expect.any(String),
        instances: [
          { instance: "api-1", requests: 72, errors: 3 },
          { instance: "api-2", requests: 24, errors: 0 },
          { instance: "api-3", requests: 24, errors: 0 },
        ],
        skew: 1.8, // 72 ÷ the mean of 40
        busiest: "api-1",
        grade: "warning",
      },
    ]);
    // Three instances measured the same shard: its size is one of their measurements, not a sum.
    expect(overview.shards[0]?.shards).toEqual([
      { shard: "s-1", rows: expect.any(Number), bytes: null, requests: 0 },
    ]);
    expect([1000, 1010]).toContain(overview.shards[0]?.shards[0]?.rows);
  });

  it("is empty for a project with no data", async () => {
    const { projectId: empty } = await createOrgWithProject();
    const overview = await projectOverview(empty, windowFor("15m"));
    expect(overview).toMatchObject({
      services: [],
      caches: [],
      replicas: [],
      shards: [],
      balances: [],
      infrastructure: [],
      business: [],
    });
  });
});
