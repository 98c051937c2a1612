import type { Tracer } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { MeterProvider, MetricReader } from "@opentelemetry/sdk-metrics";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";

class CollectingReader extends MetricReader {
  protected async onForceFlush() {}
  protected async onShutdown() {}
}

/**
 * Records metrics as a service would and sends them once with the real OTLP exporter
 * (protobuf), as an agent or SDK does at its export interval.
 */
export async function sendMetrics(
  baseURL: string,
  key: string,
  service: string,
  record: (provider: MeterProvider) => void,
  resource: Record<string, string> = {},
): Promise<void> {
  const reader = new CollectingReader();
  const provider = new MeterProvider({
    resource: resourceFromAttributes({
      "service.name": service,
      "service.instance.id": `${service}-1`,
      ...resource,
    }),
    readers: [reader],
  });
  record(provider);
  const { resourceMetrics } = await reader.collect();
  const exporter = new OTLPMetricExporter({
    url: `${baseURL}/v1/metrics`,
    headers: { authorization: `Bearer ${key}` },
  });
  await new Promise<void>((resolve, reject) =>
    exporter.export(resourceMetrics, (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error),
    ),
  );
}

/**
 * Records spans as services would (a tracer per service, into memory) and sends them once with
 * the real OTLP exporter (protobuf).
 */
export async function sendSpans(
  baseURL: string,
  key: string,
  record: (tracer: (service: string) => Tracer) => void,
): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const tracer = (service: string) =>
    new TracerProvider({
      resource: resourceFromAttributes({ "service.name": service }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    }).getTracer("e2e");
  record(tracer);
  const spans = memory.getFinishedSpans();
  const exporter = new OTLPTraceExporter({
    url: `${baseURL}/v1/traces`,
    headers: { authorization: `Bearer ${key}` },
  });
  await new Promise<void>((resolve, reject) =>
    exporter.export(spans, (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error),
    ),
  );
  return spans;
}

/**
 * Sends gauge points with the times given (OTLP/HTTP JSON, as a Collector may), for tests that
 * need data at chosen moments rather than now.
 */
export async function sendGaugeAt(
  baseURL: string,
  key: string,
  resource: { service: string; instance: string },
  name: string,
  points: { timeMs: number; value: number; attributes?: Record<string, string> }[],
): Promise<void> {
  const attributes = (map: Record<string, string>) =>
    Object.entries(map).map(([k, v]) => ({ key: k, value: { stringValue: v } }));
  const body = {
    resourceMetrics: [
      {
        resource: {
          attributes: attributes({
            "service.name": resource.service,
            "service.instance.id": resource.instance,
          }),
        },
        scopeMetrics: [
          {
            scope: { name: "test" },
            metrics: [
              {
                name,
                gauge: {
                  dataPoints: points.map((point) => ({
                    timeUnixNano: String(BigInt(point.timeMs) * 1_000_000n),
                    asDouble: point.value,
                    attributes: attributes(point.attributes ?? {}),
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
  await sendOtlpJson(baseURL, key, "metrics", body);
}

/** Posts an OTLP/JSON body to /v1/{signal} and returns the answer as it came. */
export function postOtlpJson(
  baseURL: string,
  key: string,
  signal: "traces" | "metrics" | "logs",
  body: unknown,
): Promise<Response> {
  return fetch(`${baseURL}/v1/${signal}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Posts an OTLP/JSON body and fails unless every item in it was accepted. */
export async function sendOtlpJson(
  baseURL: string,
  key: string,
  signal: "traces" | "metrics" | "logs",
  body: unknown,
): Promise<void> {
  const response = await postOtlpJson(baseURL, key, signal, body);
  const text = await response.text();
  if (!response.ok || text.includes("rejected"))
    throw new Error(`OTLP export answered ${response.status}: ${text}`);
}
