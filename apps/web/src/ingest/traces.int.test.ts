import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { OTLPTraceExporter as ProtoExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  type SpanExporter,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as getTraceRoute } from "../app/api/v1/traces/[traceId]/route.ts";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

setupTestDatabase();

let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let ingestKey: string;
let readKey: string;
beforeAll(async () => {
  controlPlane = await startControlPlane();
  const { projectId } = await createOrgWithProject();
  ingestKey = (await createApiKey({ projectId, name: "agent", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "reader", scope: "read" })).secret;
});
afterAll(() => controlPlane.close());

const nanos = ([seconds, ns]: [number, number]) =>
  (BigInt(seconds) * 1_000_000_000n + BigInt(ns)).toString();

async function recordTrace(): Promise<ReadableSpan[]> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": "checkout",
      "service.version": "2.0.1",
      "service.instance.id": "pod-7",
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  const tracer = provider.getTracer("orders", "1.2.3");
  const other = tracer.startSpan("background job");
  other.end();
  const root = tracer.startSpan("POST /orders", {
    kind: SpanKind.SERVER,
    attributes: {
      "http.route": "/orders",
      "http.response.status_code": 502,
      ratio: 0.5,
      retried: true,
      tags: ["eu", "vip"],
      sizes: [1, 2],
    },
    links: [{ context: other.spanContext(), attributes: { cause: "follows" } }],
  });
  const child = tracer.startSpan(
    "INSERT orders",
    { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql" } },
    trace.setSpan(context.active(), root),
  );
  child.addEvent("retry", { attempt: 2 });
  child.end();
  root.setStatus({ code: SpanStatusCode.ERROR, message: "payment gateway timed out" });
  root.end();
  await provider.forceFlush();
  return memory.getFinishedSpans();
}

function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(spans, (result) =>
      result.code === ExportResultCode.SUCCESS
        ? resolve()
        : reject(result.error ?? new Error("export failed")),
    ),
  );
}

async function readTrace(traceId: string) {
  const response = await getTraceRoute(
    new Request(`http://vigil.test/api/v1/traces/${traceId}`, {
      headers: { authorization: `Bearer ${readKey}` },
    }),
    { params: Promise.resolve({ traceId }) },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { spans: Record<string, unknown>[] };
}

const exporters = {
  protobuf: (compression: CompressionAlgorithm) =>
    new ProtoExporter({
      url: `${controlPlane.url}/v1/traces`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      compression,
    }),
  JSON: (compression: CompressionAlgorithm) =>
    new JsonExporter({
      url: `${controlPlane.url}/v1/traces`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      compression,
    }),
};

describe("spans sent by the official OpenTelemetry exporters", () => {
  for (const [format, make] of Object.entries(exporters)) {
    for (const compression of ["none", "gzip"] as CompressionAlgorithm[]) {
      it(`are stored and read back exactly (${format}, ${compression})`, async () => {
        const spans = await recordTrace();
        await exportWith(make(compression), spans);
        const traceId =
          spans.find((span) => span.name === "POST /orders")?.spanContext().traceId ?? "";
        const stored = await readTrace(traceId);
        const sameTrace = spans.filter((span) => span.spanContext().traceId === traceId);
        expect(stored.spans).toHaveLength(sameTrace.length);
        for (const original of sameTrace) {
          const span = stored.spans.find(
            (candidate) => candidate.spanId === original.spanContext().spanId,
          );
          if (!span) throw new Error(`span ${original.name} was not stored`);
          expect(span).toMatchObject({
            traceId,
            parentSpanId: original.parentSpanContext?.spanId ?? null,
            name: original.name,
            kind: ["internal", "server", "client", "producer", "consumer"][original.kind],
            startTimeUnixNano: nanos(original.startTime),
            endTimeUnixNano: nanos(original.endTime),
            status: {
              code: ["unset", "ok", "error"][original.status.code],
              message: original.status.message ?? "",
            },
            service: { name: "checkout", version: "2.0.1", instance: "pod-7" },
            scope: { name: "orders", version: "1.2.3" },
            attributes: original.attributes,
            events: original.events.map((event) => ({
              name: event.name,
              timeUnixNano: nanos(event.time),
              attributes: event.attributes ?? {},
              droppedAttributesCount: 0,
            })),
          });
          expect(
            (span.links as { traceId: string; spanId: string; attributes: unknown }[]).map(
              ({ traceId: t, spanId, attributes }) => ({ traceId: t, spanId, attributes }),
            ),
          ).toEqual(
            original.links.map((link) => ({
              traceId: link.context.traceId,
              spanId: link.context.spanId,
              attributes: link.attributes ?? {},
            })),
          );
          expect(span.resource).toMatchObject({
            "service.name": "checkout",
            "service.instance.id": "pod-7",
          });
        }
      });
    }
  }

  it("stores a batch the exporter sends twice (a retry) once", async () => {
    const spans = await recordTrace();
    const exporter = exporters.protobuf("none" as CompressionAlgorithm);
    await exportWith(exporter, spans);
    await exportWith(exporter, spans);
    const traceId = spans[0]?.spanContext().traceId ?? "";
    const stored = await readTrace(traceId);
    expect(stored.spans).toHaveLength(
      spans.filter((span) => span.spanContext().traceId === traceId).length,
    );
  });
});
