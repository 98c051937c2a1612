import type pg from "pg";
import { shardCount } from "../../shards/catalog.ts";
import { ALL_SPAN_COLUMNS, spanSource } from "./span-source.ts";

export type StoredSpan = {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  startNs: string;
  durationNs: string;
  name: string;
  kind: number;
  statusCode: number;
  statusMessage: string;
  traceState: string;
  flags: number;
  scopeName: string;
  scopeVersion: string;
  attributes: Record<string, unknown>;
  events: unknown[] | null;
  links: unknown[] | null;
  droppedAttributesCount: number;
  droppedEventsCount: number;
  droppedLinksCount: number;
  service: string;
  environment: string;
  instance: string;
  version: string;
  resource: Record<string, unknown>;
};

/** Every span of one trace in a project, in start order. */
export async function spansOfTrace(
  pool: pg.Pool,
  projectId: string,
  traceId: string,
): Promise<StoredSpan[]> {
  const result = await pool.query<StoredSpan>(
    `SELECT replace(s.trace_id::text, '-', '') AS "traceId", encode(s.span_id, 'hex') AS "spanId",
            encode(s.parent_span_id, 'hex') AS "parentSpanId", s.start_ns::text AS "startNs",
            s.duration_ns::text AS "durationNs", s.name, s.kind, s.status_code AS "statusCode",
            s.status_message AS "statusMessage", s.trace_state AS "traceState", s.flags::int AS flags,
            s.scope_name AS "scopeName", s.scope_version AS "scopeVersion", s.attributes, s.events, s.links,
            s.dropped_attributes_count AS "droppedAttributesCount", s.dropped_events_count AS "droppedEventsCount",
            s.dropped_links_count AS "droppedLinksCount", sv.name AS service, sv.environment,
            i.instance, i.version, i.attributes AS resource
       FROM ${spanSource({ project: "$1", columns: ALL_SPAN_COLUMNS, traces: "ARRAY[$2::uuid]", shards: await shardCount(pool), shardOfTrace: "$2::uuid" })} s
       JOIN service sv ON sv.project_id = s.project_id AND sv.id = s.service_id
       JOIN service_instance i ON i.project_id = s.project_id AND i.id = s.instance_id
      ORDER BY s.start_ns, s.span_id`,
    [projectId, traceId],
  );
  return result.rows;
}
