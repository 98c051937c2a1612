import { copyBytea, copyJson, copyText, NULL } from "./copy-text.ts";

/** A log record ready to store; `id` is the hex hash that makes a re-sent record a duplicate. */
export type LogRow = {
  projectId: string;
  timeNs: bigint;
  id: string;
  observedNs: bigint;
  serviceId: bigint;
  instanceId: bigint;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: unknown;
  traceId: string;
  spanId: string;
  flags: number;
  eventName: string;
  scopeName: string;
  scopeVersion: string;
  droppedAttributesCount: number;
};

export const LOG_COLUMNS = [
  "project_id",
  "time_ns",
  "id",
  "observed_ns",
  "service_id",
  "instance_id",
  "severity_number",
  "severity_text",
  "body",
  "attributes",
  "trace_id",
  "span_id",
  "flags",
  "event_name",
  "scope_name",
  "scope_version",
  "dropped_attributes_count",
] as const;

export function logLine(row: LogRow): string {
  return `${row.projectId}\t${row.timeNs}\t${copyBytea(row.id)}\t${row.observedNs}\t${row.serviceId}\t${row.instanceId}\t${row.severityNumber}\t${copyText(
    row.severityText,
  )}\t${row.body === null || row.body === undefined ? NULL : copyJson(row.body)}\t${copyJson(row.attributes)}\t${row.traceId || NULL}\t${
    row.spanId ? copyBytea(row.spanId) : NULL
  }\t${row.flags}\t${copyText(row.eventName)}\t${copyText(row.scopeName)}\t${copyText(row.scopeVersion)}\t${row.droppedAttributesCount}\n`;
}
