import type pg from "pg";

export type LogSearch = {
  fromNs: bigint;
  toNs: bigint;
  service?: string;
  minSeverity?: number;
  traceId?: string;
  text?: string;
  limit: number;
};

export type StoredLog = {
  timeNs: string;
  observedNs: string;
  severityNumber: number;
  severityText: string;
  body: unknown;
  attributes: Record<string, unknown>;
  traceId: string | null;
  spanId: string | null;
  flags: number;
  eventName: string;
  scopeName: string;
  scopeVersion: string;
  service: string;
  environment: string;
  instance: string;
  version: string;
  resource: Record<string, unknown>;
};

/** The most recent log records matching every given filter, newest first. */
export async function searchLogs(
  pool: pg.Pool,
  projectId: string,
  search: LogSearch,
): Promise<StoredLog[]> {
  const params: unknown[] = [projectId, search.fromNs.toString(), search.toNs.toString()];
  const where = ["l.project_id = $1", "l.time_ns >= $2", "l.time_ns < $3"];
  const add = (value: unknown, condition: (placeholder: string) => string) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (search.service !== undefined) add(search.service, (p) => `sv.name = ${p}`);
  if (search.minSeverity !== undefined) add(search.minSeverity, (p) => `l.severity_number >= ${p}`);
  if (search.traceId !== undefined) add(search.traceId, (p) => `l.trace_id = ${p}::uuid`);
  if (search.text !== undefined)
    add(`%${search.text.replace(/[\\%_]/g, "\\$&")}%`, (p) => `l.body::text ILIKE ${p}`);
  params.push(search.limit);
  const result = await pool.query<StoredLog>(
    `SELECT l.time_ns::text AS "timeNs", l.observed_ns::text AS "observedNs", l.severity_number AS "severityNumber",
            l.severity_text AS "severityText", l.body, l.attributes, replace(l.trace_id::text, '-', '') AS "traceId",
            encode(l.span_id, 'hex') AS "spanId", l.flags::int AS flags, l.event_name AS "eventName",
            l.scope_name AS "scopeName", l.scope_version AS "scopeVersion", sv.name AS service, sv.environment,
            i.instance, i.version, i.attributes AS resource
       FROM log_record l
       JOIN service sv ON sv.project_id = l.project_id AND sv.id = l.service_id
       JOIN service_instance i ON i.project_id = l.project_id AND i.id = l.instance_id
      WHERE ${where.join(" AND ")}
      ORDER BY l.time_ns DESC, l.id
      LIMIT $${params.length}`,
    params,
  );
  return result.rows;
}
