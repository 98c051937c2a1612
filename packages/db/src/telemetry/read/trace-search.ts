import type pg from "pg";
import { shardCount } from "../../shards/catalog.ts";
import { CLOCK_SLACK_NS, searchHash } from "../write/search-keys.ts";
import { type SpanColumn, spanSource } from "./span-source.ts";

export type ServiceSummary = {
  name: string;
  environment: string;
  firstSeen: Date;
  lastSeen: Date;
  instances: { instance: string; version: string; host: string; lastSeen: string }[];
};

/** Every service of a project with its instances. */
export async function servicesOf(pool: pg.Pool, projectId: string): Promise<ServiceSummary[]> {
  const result = await pool.query<ServiceSummary>(
    `SELECT s.name, s.environment, s.first_seen AS "firstSeen", s.last_seen AS "lastSeen",
            coalesce(json_agg(json_build_object('instance', i.instance, 'version', i.version, 'host', i.host, 'lastSeen', i.last_seen)
                       ORDER BY i.instance, i.version) FILTER (WHERE i.id IS NOT NULL), '[]') AS instances
       FROM service s
       LEFT JOIN service_instance i ON i.project_id = s.project_id AND i.service_id = s.id
      WHERE s.project_id = $1
      GROUP BY s.project_id, s.id
      ORDER BY s.name, s.environment`,
    [projectId],
  );
  return result.rows;
}

export type TraceSearch = {
  fromNs: bigint;
  toNs: bigint;
  service?: string;
  /** The span's name (its operation). */
  operation?: string;
  minDurationNs?: bigint;
  /** Span attributes equal to these values (a number or boolean also matches its text). */
  attributes?: Record<string, string>;
  statusCode?: number;
  limit: number;
  /**
   * When each attribute key's values began to be indexed (noteSearchedKeys, on the primary):
   * recent spans from then on are found through the index, older ones by reading them.
   */
  keysIndexedSince?: Map<string, bigint>;
};

export type TraceSummary = {
  traceId: string;
  startNs: string;
  endNs: string;
  spanCount: number;
  errorCount: number;
  rootService: string;
  rootName: string;
};

/** The JSON values a `key=value` filter's text may stand for: the text, a number, a boolean. */
export function attributeValues(text: string): (string | number | boolean)[] {
  const values: (string | number | boolean)[] = [text];
  if (/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(text) && Number.isFinite(Number(text))) {
    values.push(Number(text));
  }
  if (text === "true" || text === "false") values.push(text === "true");
  return values;
}

/** The most recent traces with a span matching the filters, summarised over all their spans. */
export async function searchTraces(
  pool: pg.Pool,
  projectId: string,
  search: TraceSearch,
): Promise<TraceSummary[]> {
  const params: unknown[] = [projectId, search.fromNs.toString(), search.toNs.toString()];
  const where: string[] = [];
  const chunkFilter: string[] = [];
  const columns: SpanColumn[] = ["trace_id", "start_ns"];
  if (search.service !== undefined) {
    params.push(search.service);
    columns.push("service_id");
    where.push(
      `s.service_id IN (SELECT id FROM service WHERE project_id = $1 AND name = $${params.length})`,
    );
  }
  if (search.operation !== undefined) {
    params.push(search.operation);
    columns.push("name");
    where.push(`s.name = $${params.length}`);
  }
  const rawFilter: string[] = [];
  for (const [key, value] of Object.entries(search.attributes ?? {})) {
    columns.push("attributes");
    // Containment, exact; one alternative per JSON type.
    const typed = attributeValues(value).map((alternative) => JSON.stringify(alternative));
    const alternatives = typed.map((json) => {
      params.push(JSON.stringify({ [key]: JSON.parse(json) }));
      return `s.attributes @> $${params.length}::jsonb`;
    });
    where.push(`(${alternatives.join(" OR ")})`);
    // The indexes narrow it first: chunks that index the key are read only if they hold one
    // of the values; recent spans written since the key was indexed are found by its index.
    params.push(key, typed);
    const k = `$${params.length - 1}`;
    const hashes = `ARRAY(SELECT ${searchHash(k, "a")} FROM unnest($${params.length}::jsonb[]) a)`;
    chunkFilter.push(`(NOT c.search_keys @> ARRAY[${k}::text] OR c.search_hashes && ${hashes})`);
    const since = (search.keysIndexedSince?.get(key) ?? search.toNs) + CLOCK_SLACK_NS;
    rawFilter.push(
      since <= search.fromNs
        ? `s.search_hashes && ${hashes}`
        : `(s.search_hashes && ${hashes} OR s.start_ns < ${since})`,
    );
  }
  if (search.minDurationNs !== undefined) {
    params.push(search.minDurationNs.toString());
    columns.push("duration_ns");
    where.push(`s.duration_ns >= $${params.length}`);
  }
  if (search.statusCode !== undefined) {
    params.push(search.statusCode);
    columns.push("status_code");
    where.push(`s.status_code = $${params.length}`);
  }
  params.push(search.limit);
  const shards = await shardCount(pool);
  const matching = spanSource({
    shards,
    project: "$1",
    from: "$2",
    to: "$3",
    columns,
    chunkFilter: chunkFilter.join(" AND "),
    rawFilter: rawFilter.join(" AND "),
  });
  const ofMatched = spanSource({
    shards,
    project: "$1",
    columns: [
      "trace_id",
      "start_ns",
      "duration_ns",
      "status_code",
      "service_id",
      "parent_span_id",
      "name",
    ],
    traces: "ARRAY(SELECT trace_id FROM matched)",
  });
  const result = await pool.query<TraceSummary>(
    `WITH matched AS (
       SELECT s.trace_id, max(s.start_ns) AS latest FROM ${matching} s
        ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
        GROUP BY s.trace_id ORDER BY latest DESC LIMIT $${params.length}
     )
     SELECT replace(m.trace_id::text, '-', '') AS "traceId", min(s.start_ns)::text AS "startNs",
            max(s.start_ns + s.duration_ns)::text AS "endNs", count(*)::int AS "spanCount",
            (count(*) FILTER (WHERE s.status_code = 2))::int AS "errorCount",
            (array_agg(sv.name ORDER BY s.parent_span_id IS NULL DESC, s.start_ns))[1] AS "rootService",
            (array_agg(s.name ORDER BY s.parent_span_id IS NULL DESC, s.start_ns))[1] AS "rootName"
       FROM matched m
       JOIN ${ofMatched} s ON s.trace_id = m.trace_id
       JOIN service sv ON sv.project_id = s.project_id AND sv.id = s.service_id
      GROUP BY m.trace_id, m.latest
      ORDER BY m.latest DESC`,
    params,
  );
  return result.rows;
}
