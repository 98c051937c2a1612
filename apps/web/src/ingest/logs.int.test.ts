import { context, SeverityNumber, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPLogExporter as JsonExporter } from "@opentelemetry/exporter-logs-otlp-http";
import { OTLPLogExporter as ProtoExporter } from "@opentelemetry/exporter-logs-otlp-proto";
import type { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  type LogRecordExporter,
  type ReadableLogRecord,
  SimpleLogRecordProcessor,
} from "@opentelemetry/sdk-logs";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as logsRoute } from "../app/api/v1/logs/route.ts";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

setupTestDatabase();

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

const nanos = ([seconds, ns]: [number, number]) =>
  (BigInt(seconds) * 1_000_000_000n + BigInt(ns)).toString();

async function recordLogs(service: string): Promise<ReadableLogRecord[]> {
  const memory = new InMemoryLogRecordExporter();
  const provider = new LoggerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    processors: [new SimpleLogRecordProcessor({ exporter: memory })],
  });
  const logger = provider.getLogger("payments", "1.0.0");
  const spanContext = {
    traceId: "5b8efff798038103d269b633813fc60c",
    spanId: "eee19b7ec3c1b174",
    traceFlags: 1,
  };
  logger.emit({
    severityNumber: SeverityNumber.ERROR,
    severityText: "ERROR",
    body: "card declined",
    attributes: { "payment.id": "p-17", amount: 42.5, retry: false },
    context: trace.setSpanContext(context.active(), spanContext),
  });
  logger.emit({
    severityNumber: SeverityNumber.INFO,
    body: { structured: true, items: [1, 2] },
    eventName: "checkout.completed",
  });
  await provider.forceFlush();
  return memory.getFinishedLogRecords();
}

function exportWith(exporter: LogRecordExporter, records: ReadableLogRecord[]): Promise<void> {
  return new Promise((resolve, reject) =>
    exporter.export(records, (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error),
    ),
  );
}

/** The service's log records through the read API, most severe first. */
async function stored(service: string) {
  const from = Date.now() - 3_600_000;
  const response = await logsRoute(
    new Request(
      `http://vigil.test/api/v1/logs?service=${service}&from=${from}&to=${from + 7_200_000}`,
      {
        headers: { authorization: `Bearer ${readKey}` },
      },
    ),
  );
  expect(response.status).toBe(200);
  const { logs } = (await response.json()) as { logs: Record<string, unknown>[] };
  return logs.sort((a, b) => (b.severityNumber as number) - (a.severityNumber as number));
}

const exporters = {
  protobuf: (compression: CompressionAlgorithm) =>
    new ProtoExporter({
      url: `${controlPlane.url}/v1/logs`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      compression,
    }),
  JSON: (compression: CompressionAlgorithm) =>
    new JsonExporter({
      url: `${controlPlane.url}/v1/logs`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      compression,
    }),
};

describe("log records sent by the official OpenTelemetry exporters", () => {
  for (const [format, make] of Object.entries(exporters)) {
    for (const compression of ["none", "gzip"] as CompressionAlgorithm[]) {
      it(`are stored with severity, body, attributes and trace context (${format}, ${compression})`, async () => {
        const service = `payments-${format}-${compression}`;
        const records = await recordLogs(service);
        const exporter = make(compression);
        await exportWith(exporter, records);
        await exportWith(exporter, records); // a retry stores nothing twice
        const rows = await stored(service);
        expect(rows).toHaveLength(2);
        expect(rows[0]).toMatchObject({
          timeUnixNano: nanos(records[0]?.hrTime ?? [0, 0]),
          observedTimeUnixNano: nanos(records[0]?.hrTimeObserved ?? [0, 0]),
          severityNumber: SeverityNumber.ERROR,
          severityText: "ERROR",
          body: "card declined",
          attributes: { "payment.id": "p-17", amount: 42.5, retry: false },
          traceId: "5b8efff798038103d269b633813fc60c",
          spanId: "eee19b7ec3c1b174",
          eventName: "",
          scope: { name: "payments", version: "1.0.0" },
          service: { name: service },
          resource: { "service.name": service },
        });
        expect(rows[1]).toMatchObject({
          body: { structured: true, items: [1, 2] },
          eventName: "checkout.completed",
          traceId: null,
          severityNumber: SeverityNumber.INFO,
        });
      });
    }
  }
});
