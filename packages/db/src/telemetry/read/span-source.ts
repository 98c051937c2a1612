import { shardOfTraceSql } from "../../shards/tables.ts";
import { HOUR_NS } from "../rollup/rollups.ts";

// Spans as every reader sees them: the recent rows of `span` and the closed hours packed into
// `span_chunk` (see its migration), as one relation with span's own columns. A reader names the
// columns it needs, so the chunks' other arrays are never decompressed.

/** A column of `span`, as readers select it. */
export type SpanColumn =
  | "trace_id"
  | "span_id"
  | "parent_span_id"
  | "start_ns"
  | "duration_ns"
  | "service_id"
  | "instance_id"
  | "name"
  | "kind"
  | "status_code"
  | "status_message"
  | "trace_state"
  | "flags"
  | "scope_name"
  | "scope_version"
  | "attributes"
  | "events"
  | "links"
  | "dropped_attributes_count"
  | "dropped_events_count"
  | "dropped_links_count";

/** A chunk's array for each column, and how one element (`%`) reads as that column. */
const PACKED: Record<SpanColumn, { array: string; value: string }> = {
  trace_id: { array: "trace_ids", value: "%" },
  span_id: { array: "span_ids", value: "decode(lpad(to_hex(%), 16, '0'), 'hex')" },
  parent_span_id: { array: "parent_ids", value: "decode(lpad(to_hex(%), 16, '0'), 'hex')" },
  start_ns: { array: "starts", value: "%" },
  duration_ns: { array: "durations", value: "%" },
  service_id: { array: "service_ids", value: "%" },
  instance_id: { array: "instance_ids", value: "%" },
  name: { array: "names", value: "%" },
  kind: { array: "kinds", value: "%" },
  status_code: { array: "statuses", value: "%" },
  status_message: { array: "status_messages", value: "coalesce(%, '')" },
  trace_state: { array: "trace_states", value: "coalesce(%, '')" },
  flags: { array: "flags", value: "coalesce(%, 0)" },
  scope_name: { array: "scope_names", value: "coalesce(%, '')" },
  scope_version: { array: "scope_versions", value: "coalesce(%, '')" },
  attributes: { array: "attributes", value: "%" },
  events: { array: "events", value: "%" },
  links: { array: "links", value: "%" },
  dropped_attributes_count: { array: "dropped_attributes", value: "coalesce(%, 0)" },
  dropped_events_count: { array: "dropped_events", value: "coalesce(%, 0)" },
  dropped_links_count: { array: "dropped_links", value: "coalesce(%, 0)" },
};

export const ALL_SPAN_COLUMNS = Object.keys(PACKED) as SpanColumn[];

/** The chunk arrays that hold one element per span, in a fixed order. */
export const SPAN_ARRAYS = ALL_SPAN_COLUMNS.map((column) => PACKED[column].array);

export type SpanSourceParams = {
  /** SQL (usually a placeholder) for the project id. */
  project: string;
  columns: SpanColumn[];
  /** Start times in [from, to), as SQL expressions. */
  from?: string;
  to?: string;
  /** Only these traces: an SQL expression of type uuid[]. */
  traces?: string;
  /**
   * On a database with shards (see shards/), how many: chunks are then unpacked and filtered on
   * their shards (the shards' `span_chunk_spans` view), so only wanted spans cross the network.
   */
  shards?: number;
  /** With shards, one trace (SQL of type uuid) all wanted spans belong to: read on its shard only. */
  shardOfTrace?: string;
  /** A condition on the chunk row `c` that every chunk holding a wanted span meets. */
  chunkFilter?: string;
  /** A condition on the recent row `s` that every wanted recent span meets. */
  rawFilter?: string;
};

/**
 * A parenthesised relation of spans with `project_id` and `columns` (span's own names), from
 * both stores, for use as `FROM ${spanSource(…)} sp`. Chunks are chosen by hour and by trace id
 * (their GIN index), spans within them by the same bounds.
 */
export function spanSource(p: SpanSourceParams): string {
  const columns = [...new Set(p.columns)];
  const sharded = (p.shards ?? 0) > 0;
  // Unpacked elements: `u` beside the chunk row here; on shards, the view's own columns.
  const u = sharded ? "c" : "u";
  const raw = [`s.project_id = ${p.project}`];
  const chunk = [`c.project_id = ${p.project}`];
  if (p.from !== undefined) {
    raw.push(`s.start_ns >= ${p.from}`);
    chunk.push(`c.window_ns > (${p.from})::bigint - ${HOUR_NS}`, `${u}.starts >= ${p.from}`);
  }
  if (p.to !== undefined) {
    raw.push(`s.start_ns < ${p.to}`);
    chunk.push(`c.window_ns < ${p.to}`, `${u}.starts < ${p.to}`);
  }
  if (p.traces !== undefined) {
    raw.push(`s.trace_id = ANY(${p.traces})`);
    const chunkTraces = sharded ? "c.chunk_trace_ids" : "c.trace_ids";
    chunk.push(`${chunkTraces} && ${p.traces}`, `${u}.trace_ids = ANY(${p.traces})`);
  }
  if (sharded && p.shardOfTrace !== undefined) {
    const shards = p.shards as number;
    chunk.push(`c.seq % ${shards} = ${shardOfTraceSql(p.shardOfTrace, shards)}`);
  }
  if (p.chunkFilter) chunk.push(`(${p.chunkFilter})`);
  if (p.rawFilter) raw.push(`(${p.rawFilter})`);
  const unpacked = columns.map((column) => {
    const { array, value } = PACKED[column];
    return `${value.replaceAll("%", `${u}.${array}`)} AS ${column}`;
  });
  return `(
    SELECT s.project_id, ${columns.map((column) => `s.${column}`).join(", ")}
      FROM span s WHERE ${raw.join(" AND ")}
    UNION ALL
    SELECT c.project_id, ${unpacked.join(", ")}
      FROM ${sharded ? "span_chunk_spans c" : unnestedChunks(p, columns)}
     WHERE ${chunk.join(" AND ")}
  )`;
}

/** Chunks `c` beside their elements `u`, of the arrays `columns` and the filters read. */
function unnestedChunks(p: SpanSourceParams, columns: SpanColumn[]): string {
  const arrays = new Set(columns.map((column) => PACKED[column].array));
  if (p.from !== undefined || p.to !== undefined) arrays.add("starts");
  if (p.traces !== undefined) arrays.add("trace_ids");
  const unnested = [...arrays];
  return `span_chunk c
      CROSS JOIN LATERAL unnest(${unnested.map((array) => `c.${array}`).join(", ")}) AS u(${unnested.join(", ")})`;
}
