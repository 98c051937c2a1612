import type pg from "pg";
import { type Place, placesOf } from "../../shards/place.ts";
import { searchable, searchHash } from "../write/search-keys.ts";
import { COMPACT_SETTLE_NS } from "./compaction.ts";
import { ensureDailyPartitions, NS_PER_DAY } from "./partitions.ts";
import { HOUR_NS } from "./rollups.ts";

// Packing closed hours of spans into chunks (see the span_chunk migration): one project's hour
// moves, in one transaction, into rows of about CHUNK_SPANS spans each, split by the leading bits
// of the trace id so a trace's spans of the hour share a row. Spans that arrive for an hour
// already packed are packed by a later run into further rows; one packed before is kept once.

/** About how many spans one chunk row holds. */
export const CHUNK_SPANS = 1000;

export type SpanCompactionResult = { hours: number; spans: number; chunks: number };

const asBigint = (bytes: string) => `('x' || encode(${bytes}, 'hex'))::bit(64)::bigint`;
const ORDER = "ORDER BY trace_id, start_ns, span_id";
const all = (value: string) => `array_agg(${value} ${ORDER})`;
/** NULL when every span has the default, which readers put back. */
const unlessAll = (value: string, fallback: string) =>
  `CASE WHEN bool_and(${value} IS NOT DISTINCT FROM ${fallback}) THEN NULL ELSE ${all(value)} END`;

// $1 project, $2 hour, $3 number of chunks, $4 first seq, $5 keys to index, $6 shards, $7 this
// shard: a chunk's seq is its number on the shard times the shards plus the shard, unique across
// shards and telling which one holds it.
const PACK_SQL = `
  WITH moved AS (
    DELETE FROM span s
     WHERE s.project_id = $1 AND s.start_ns >= $2 AND s.start_ns < $2 + ${HOUR_NS}
       AND octet_length(s.span_id) = 8 AND coalesce(octet_length(s.parent_span_id), 8) = 8
    RETURNING s.*
  ),
  fresh AS (
    SELECT m.*, ${asBigint("m.span_id")} AS sid,
           $4 + ((('x' || left(replace(m.trace_id::text, '-', ''), 8))::bit(32)::bigint * $3) >> 32)::int AS seq
      FROM moved m
     WHERE $4 = 0 OR NOT EXISTS (
       SELECT 1 FROM span_chunk c CROSS JOIN LATERAL unnest(c.trace_ids, c.span_ids) u(trace_id, span_id)
        WHERE c.project_id = $1 AND c.window_ns = $2 AND c.trace_ids @> ARRAY[m.trace_id]
          AND u.trace_id = m.trace_id AND u.span_id = ${asBigint("m.span_id")})
  ),
  firsts AS MATERIALIZED (
    SELECT seq, array_agg(service_id ORDER BY service_id) AS services,
           array_agg(first ORDER BY service_id) AS first_starts
      FROM (SELECT seq, service_id, min(start_ns) AS first FROM fresh GROUP BY 1, 2) x
     GROUP BY seq
  ),
  searched AS MATERIALIZED (
    SELECT f.seq, array_agg(DISTINCT ${searchHash("k.key", "f.attributes -> k.key")}) AS hashes
      FROM fresh f CROSS JOIN unnest($5::text[]) k(key)
     WHERE ${searchable("f.attributes -> k.key")}
     GROUP BY f.seq
  ),
  packed AS MATERIALIZED (
    SELECT f.seq, ${all("trace_id")} AS trace_ids, ${all("sid")} AS span_ids,
           ${all(`CASE WHEN parent_span_id IS NOT NULL THEN ${asBigint("parent_span_id")} END`)} AS parent_ids,
           ${all("start_ns")} AS starts, ${all("duration_ns")} AS durations,
           ${all("service_id")} AS service_ids, ${all("instance_id")} AS instance_ids,
           ${all("name")} AS names, ${all("kind")} AS kinds, ${all("status_code")} AS statuses,
           ${unlessAll("status_message", "''")} AS status_messages,
           ${unlessAll("trace_state", "''")} AS trace_states, ${unlessAll("flags", "0")} AS flags,
           ${unlessAll("scope_name", "''")} AS scope_names,
           ${unlessAll("scope_version", "''")} AS scope_versions, ${all("attributes")} AS attributes,
           ${unlessAll("events", "NULL")} AS events, ${unlessAll("links", "NULL")} AS links,
           ${unlessAll("dropped_attributes_count", "0")} AS dropped_attributes,
           ${unlessAll("dropped_events_count", "0")} AS dropped_events,
           ${unlessAll("dropped_links_count", "0")} AS dropped_links
      FROM fresh f GROUP BY f.seq
  )
  INSERT INTO span_chunk (project_id, window_ns, seq, trace_ids, span_ids, parent_ids, starts, durations,
                          service_ids, instance_ids, names, kinds, statuses, status_messages, trace_states,
                          flags, scope_names, scope_versions, attributes, events, links,
                          dropped_attributes, dropped_events, dropped_links, services, first_starts,
                          search_keys, search_hashes)
  SELECT $1, $2, p.seq * $6 + $7, p.trace_ids, p.span_ids, p.parent_ids, p.starts, p.durations, p.service_ids,
         p.instance_ids, p.names, p.kinds, p.statuses, p.status_messages, p.trace_states, p.flags,
         p.scope_names, p.scope_versions, p.attributes, p.events, p.links, p.dropped_attributes,
         p.dropped_events, p.dropped_links, fi.services, fi.first_starts, $5, coalesce(se.hashes, '{}')
    FROM packed p
    JOIN firsts fi ON fi.seq = p.seq
    LEFT JOIN searched se ON se.seq = p.seq`;

/**
 * Packs every hour of spans that ended at least COMPACT_SETTLE_NS ago (at most `limit`
 * project-hours a run and place, oldest first), on each shard where there are shards.
 */
export async function compactSpans(
  pool: pg.Pool,
  options: { nowNs?: bigint; limit?: number } = {},
): Promise<SpanCompactionResult> {
  const hours = new Set<string>(); // a project's hour, packed on one shard or several
  const result: SpanCompactionResult = { hours: 0, spans: 0, chunks: 0 };
  for (const place of await placesOf(pool)) {
    const done = await compactSpansAt(pool, place, options, hours);
    result.spans += done.spans;
    result.chunks += done.chunks;
  }
  return { ...result, hours: hours.size };
}

async function compactSpansAt(
  pool: pg.Pool,
  place: Place,
  options: { nowNs?: bigint; limit?: number },
  hours: Set<string>,
): Promise<SpanCompactionResult> {
  const nowNs = options.nowNs ?? BigInt(Date.now()) * 1_000_000n;
  const settled = nowNs - COMPACT_SETTLE_NS;
  const due = await place.rows<{ project_id: string; window_ns: string; spans: string }>(
    `SELECT project_id, start_ns - start_ns % ${HOUR_NS} AS window_ns, count(*) AS spans
       FROM span
      WHERE start_ns < $1 AND octet_length(span_id) = 8 AND coalesce(octet_length(parent_span_id), 8) = 8
      GROUP BY 1, 2 ORDER BY 2, 1 LIMIT $2`,
    [(settled - (settled % HOUR_NS)).toString(), options.limit ?? 100],
    "project_id uuid, window_ns bigint, spans bigint",
  );
  await ensureDailyPartitions(
    pool,
    "span_chunk",
    due.map((row) => Number(BigInt(row.window_ns) / NS_PER_DAY)),
  );
  const result: SpanCompactionResult = { hours: 0, spans: 0, chunks: 0 };
  for (const { project_id, window_ns, spans } of due) {
    const keys = await pool.query<{ key: string }>(
      "SELECT key FROM span_search_key WHERE project_id = $1",
      [project_id],
    );
    const next = await place.rows<{ seq: number }>(
      "SELECT coalesce(max(seq) / $3 + 1, 0) AS seq FROM span_chunk WHERE project_id = $1 AND window_ns = $2",
      [project_id, window_ns, place.shards],
      "seq integer",
    );
    // The hour is sorted and aggregated in memory, not in temporary files.
    const packed = await place.write(
      PACK_SQL,
      [
        project_id,
        window_ns,
        Math.max(1, Math.ceil(Number(spans) / CHUNK_SPANS)),
        next[0]?.seq ?? 0,
        keys.rows.map((row) => row.key).sort(),
        place.shards,
        place.shard,
      ],
      "64MB",
    );
    hours.add(`${project_id} ${window_ns}`);
    result.spans += Number(spans);
    result.chunks += packed;
  }
  return result;
}
