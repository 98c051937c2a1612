import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { AggregationTemporality, MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

// Metrics sent over OTLP by the official SDK answer PromQL under the names the OpenTelemetry
// specification's Prometheus compatibility rules give them.

setupTestDatabase();

class CollectingReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

let vigil: Awaited<ReturnType<typeof startControlPlane>>;
let readKey: string;

beforeAll(async () => {
  vigil = await startControlPlane();
  const { projectId } = await createOrgWithProject();
  const ingestKey = (await createApiKey({ projectId, name: "sdk", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "grafana", scope: "read" })).secret;
  const reader = new CollectingReader({
    aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
  });
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      "service.name": "checkout",
      "service.namespace": "shop",
      "service.instance.id": "pod-1",
      "deployment.environment.name": "prod",
    }),
    readers: [reader],
  });
  const meter = provider.getMeter("shop");
  const latency = meter.createHistogram("http.server.request.duration", {
    unit: "s",
    advice: { explicitBucketBoundaries: [0.1, 0.5, 1] },
  });
  for (const value of [0.05, 0.2, 0.3, 0.7, 2]) latency.record(value, { "http.route": "/pay" });
  meter.createCounter("orders.placed", { unit: "{order}" }).add(7, { region: "eu" });
  meter
    .createObservableGauge("process.memory.usage", { unit: "By" })
    .addCallback((r) => r.observe(4096));
  const exporter = new OTLPMetricExporter({
    url: `${vigil.url}/v1/metrics`,
    headers: { Authorization: `Bearer ${ingestKey}` },
  });
  const { resourceMetrics } = await reader.collect();
  await new Promise<void>((resolve, reject) =>
    exporter.export(resourceMetrics, (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error),
    ),
  );
});
afterAll(() => vigil?.close());

type Vector = {
  status: string;
  data: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
};

async function instant(query: string): Promise<Vector["data"]["result"]> {
  const params = new URLSearchParams({ query, time: String(Date.now() / 1000 + 1) });
  const response = await fetch(`${vigil.url}/prometheus/api/v1/query?${params}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  const body = (await response.json()) as Vector;
  expect(body.status).toBe("success");
  return body.data.result;
}

const only = async (query: string) => {
  const result = await instant(query);
  expect(result).toHaveLength(1);
  return result[0] as Vector["data"]["result"][number];
};

describe("OpenTelemetry metrics through PromQL", () => {
  it("reads a seconds histogram as _bucket (cumulative, le), _sum and _count, with job and instance", async () => {
    const inf = await only('http_server_request_duration_seconds_bucket{le="+Inf"}');
    expect(inf.metric).toEqual({
      __name__: "http_server_request_duration_seconds_bucket",
      le: "+Inf",
      http_route: "/pay",
      job: "shop/checkout",
      instance: "pod-1",
    });
    expect(inf.value[1]).toBe("5");
    const buckets = await instant("http_server_request_duration_seconds_bucket");
    const byLe = Object.fromEntries(buckets.map((b) => [b.metric.le, b.value[1]]));
    expect(byLe).toEqual({ "0.1": "1", "0.5": "3", "1": "4", "+Inf": "5" });
    expect((await only("http_server_request_duration_seconds_count")).value[1]).toBe("5");
    expect(Number((await only("http_server_request_duration_seconds_sum")).value[1])).toBeCloseTo(
      3.25,
      9,
    );
    // Rank 2.5 of 5 falls in (0.1, 0.5]: 0.1 + 0.4 × (1.5 / 2).
    const median = await only(
      "histogram_quantile(0.5, http_server_request_duration_seconds_bucket)",
    );
    expect(Number(median.value[1])).toBeCloseTo(0.4, 9);
  });

  it("gives a monotonic sum _total and drops curly-brace units; bytes become _bytes", async () => {
    const orders = await only("orders_placed_total");
    expect(orders.metric).toMatchObject({ region: "eu", job: "shop/checkout" });
    expect(orders.value[1]).toBe("7");
    expect((await only("process_memory_usage_bytes")).value[1]).toBe("4096");
    expect(await instant("orders_placed")).toEqual([]);
  });

  it("puts resource attributes in target_info", async () => {
    const info = await only('target_info{job="shop/checkout"}');
    expect(info.metric).toEqual({
      __name__: "target_info",
      job: "shop/checkout",
      instance: "pod-1",
      deployment_environment_name: "prod",
    });
  });
});
