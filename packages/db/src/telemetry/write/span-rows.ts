import { copyBytea, copyJson, copyText, NULL } from "./copy-text.ts";

/** A span ready to store: ids resolved, JSON fields prepared. */
export type SpanRow = {
  projectId: string;
  startNs: bigint;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  serviceId: bigint;
  instanceId: bigint;
  name: string;
  kind: number;
  durationNs: bigint;
  statusCode: number;
  statusMessage: string;
  traceState: string;
  flags: number;
  scopeName: string;
  scopeVersion: string;
  attributes: unknown;
  events: unknown[] | null;
  links: unknown[] | null;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
};

export const SPAN_COLUMNS = [
  "project_id",
  "start_ns",
  "trace_id",
  "span_id",
  "parent_span_id",
  "service_id",
  "instance_id",
  "name",
  "kind",
  "duration_ns",
  "status_code",
  "status_message",
  "trace_state",
  "flags",
  "scope_name",
  "scope_version",
  "attributes",
  "events",
  "links",
  "dropped_attributes_count",
  "dropped_events_count",
  "dropped_links_count",
] as const;

/** One line of COPY text for a span, in SPAN_COLUMNS order. */
export function spanLine(row: SpanRow): string {
  return `${row.projectId}\t${row.startNs}\t${row.traceId}\t${copyBytea(row.spanId)}\t${
    row.parentSpanId ? copyBytea(row.parentSpanId) : NULL
  }\t${row.serviceId}\t${row.instanceId}\t${copyText(row.name)}\t${row.kind}\t${row.durationNs}\t${row.statusCode}\t${copyText(
    row.statusMessage,
  )}\t${copyText(row.traceState)}\t${row.flags}\t${copyText(row.scopeName)}\t${copyText(row.scopeVersion)}\t${copyJson(
    row.attributes,
  )}\t${row.events?.length ? copyJson(row.events) : NULL}\t${row.links?.length ? copyJson(row.links) : NULL}\t${
    row.droppedAttributesCount
  }\t${row.droppedEventsCount}\t${row.droppedLinksCount}\n`;
}
