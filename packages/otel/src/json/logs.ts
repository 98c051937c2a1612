import { keepLog, type LogRecord, type LogsRequest } from "../logs-model.ts";
import { anyValue, attributes, hexId, int64, object, text, uint } from "./common.ts";
import { decodeJsonEnvelope } from "./envelope.ts";

/** Decodes an ExportLogsServiceRequest in OTLP/JSON. */
export function decodeLogsJson(body: Uint8Array): LogsRequest {
  return decodeJsonEnvelope(
    body,
    { resources: "resourceLogs", scopes: "scopeLogs", items: "logRecords" },
    logRecord,
    keepLog,
  );
}

function logRecord(value: unknown, at: string): LogRecord {
  const l = object(value, at);
  return {
    timeUnixNano: int64(l.timeUnixNano, `${at}.timeUnixNano`),
    observedTimeUnixNano: int64(l.observedTimeUnixNano, `${at}.observedTimeUnixNano`),
    severityNumber: uint(l.severityNumber, `${at}.severityNumber`),
    severityText: text(l.severityText, `${at}.severityText`),
    body: l.body === undefined ? null : anyValue(l.body, `${at}.body`),
    attributes: attributes(l.attributes, `${at}.attributes`),
    droppedAttributesCount: uint(l.droppedAttributesCount, `${at}.droppedAttributesCount`),
    flags: uint(l.flags, `${at}.flags`),
    traceId: hexId(l.traceId, `${at}.traceId`),
    spanId: hexId(l.spanId, `${at}.spanId`),
    eventName: text(l.eventName, `${at}.eventName`),
  };
}
