import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter as JsonExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPMetricExporter as ProtoExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import type { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AggregationTemporality,
  AggregationType,
  MeterProvider,
  MetricReader,
  type PushMetricExporter,
} from "@opentelemetry/sdk-metrics";
import { db } from "@vigil/db";
import { seriesPoints } from "@vigil/db/telemetry";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as metricsRoute } from "../app/api/v1/metrics/query/route.ts";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

setupTestDatabase();

class CollectingReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let ingestKey: string;
let readKey: string;
let projectId: string;
beforeAll(async () => {
  controlPlane = await startControlPlane();
  ({ projectId } = await createOrgWithProject());
  ingestKey = (await createApiKey({ projectId, name: "agent", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "reader", scope: "read" })).secret;
});
afterAll(() => controlPlane.close());

async function exportOnce(exporter: PushMetricExporter, reader: CollectingReader): Promise<void> {
  const { resourceMetrics } = await reader.collect();
  await new Promise<void>((resolve, reject) =>
    exporter.export(resourceMetrics, (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error),
    ),
  );
}

/** A service's points of a metric as every reader sees them (increases of cumulative series). */
async function storedPoints(service: string, name: string) {
  const points = seriesPoints({
    project: "$1",
    series: "s.id",
    lo: "0",
    hi: "9223372036854775807",
  });
  const result = await db().pool.query(
    `SELECT p.value, p.count::int AS count, p.sum, p.counts, s.attributes, s.type
       FROM metric_series s
       JOIN service sv ON sv.project_id = s.project_id AND sv.id = s.service_id
       CROSS JOIN LATERAL ${points} p
      WHERE s.project_id = $1 AND sv.name = $2 AND s.name = $3
      ORDER BY p.time_ns`,
    [projectId, service, name],
  );
  return result.rows;
}

const exporters = {
  protobuf: (compression: CompressionAlgorithm) =>
    new ProtoExporter({
      url: `${controlPlane.url}/v1/metrics`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      compression,
    }),
  JSON: (compression: CompressionAlgorithm) =>
    new JsonExporter({
      url: `${controlPlane.url}/v1/metrics`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      compression,
    }),
};

describe("metrics sent by the official OpenTelemetry exporters", () => {
  for (const [format, make] of Object.entries(exporters)) {
    for (const compression of ["none", "gzip"] as CompressionAlgorithm[]) {
      it(`are read as per-interval values after cumulative conversion (${format}, ${compression})`, async () => {
        const service = `shop-${format}-${compression}`;
        const reader = new CollectingReader({
          aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE,
        });
        const provider = new MeterProvider({
          resource: resourceFromAttributes({ "service.name": service }),
          readers: [reader],
          views: [
            {
              instrumentName: "queue.wait",
              aggregation: { type: AggregationType.EXPONENTIAL_HISTOGRAM },
            },
          ],
        });
        const meter = provider.getMeter("shop");
        const orders = meter.createCounter("business.orders");
        const latency = meter.createHistogram("http.server.request.duration", {
          unit: "s",
          advice: { explicitBucketBoundaries: [0.1, 1] },
        });
        const inflight = meter.createUpDownCounter("http.server.active_requests");
        const wait = meter.createHistogram("queue.wait", { unit: "s" });
        let memory = 100;
        meter
          .createObservableGauge("process.memory.usage")
          .addCallback((result) => result.observe(memory));
        const exporter = make(compression);

        orders.add(5, { region: "eu" });
        latency.record(0.05);
        latency.record(0.5);
        inflight.add(4);
        wait.record(1);
        wait.record(3);
        await exportOnce(exporter, reader);
        orders.add(3, { region: "eu" });
        latency.record(2);
        inflight.add(-1);
        wait.record(8);
        memory = 80;
        await exportOnce(exporter, reader);

        expect((await storedPoints(service, "business.orders")).map((p) => p.value)).toEqual([
          5, 3,
        ]);
        expect((await storedPoints(service, "business.orders"))[0]?.attributes).toEqual({
          region: "eu",
        });
        const histogram = await storedPoints(service, "http.server.request.duration");
        expect(histogram.map((p) => [p.count, p.counts.map(Number)])).toEqual([
          [2, [1, 1, 0]],
          [1, [0, 0, 1]],
        ]);
        expect(histogram[0]?.sum).toBeCloseTo(0.55);
        expect(histogram[1]?.sum).toBeCloseTo(2); // 2.55 - 0.55 in floating point
        expect((await storedPoints(service, "process.memory.usage")).map((p) => p.value)).toEqual([
          100, 80,
        ]);

        // Through the read API: the increases add up to the final cumulative count (5 + 3), where
        // storing cumulative values as they came would give 5 + 8. Totals are taken over however
        // many steps the window spans, since a step may cross an hour boundary.
        const from = Date.now() - 3_600_000;
        const query = async (name: string, agg: string) => {
          const url = `http://vigil.test/api/v1/metrics/query?name=${name}&service=${service}&agg=${agg}&step=1h&from=${from}&to=${from + 7_200_000}`;
          const response = await metricsRoute(
            new Request(url, { headers: { authorization: `Bearer ${readKey}` } }),
          );
          expect(response.status).toBe(200);
          return (await response.json()).points.map(
            (point: { value: number }) => point.value,
          ) as number[];
        };
        const total = (values: number[]) => values.reduce((sum, value) => sum + value, 0);
        expect(total(await query("business.orders", "sum"))).toBe(8);
        expect(Math.max(...(await query("process.memory.usage", "max")))).toBe(100);
        expect(Math.min(...(await query("process.memory.usage", "min")))).toBe(80);
        expect(total(await query("http.server.request.duration", "rate")) * 3600).toBeCloseTo(3);
        // An up-down counter's increases add up to its current value (4 − 1).
        expect(total(await query("http.server.active_requests", "sum"))).toBe(3);
        // An exponential histogram: 3 observations summing to 12 across both exports.
        expect(total(await query("queue.wait", "rate")) * 3600).toBeCloseTo(3);
        expect(total(await query("queue.wait", "sum"))).toBeCloseTo(12);
      });
    }
  }
});
