import type pg from "pg";
import { shardServers } from "../../shards/catalog.ts";
import { onShard } from "../../shards/remote.ts";
import { type Settings, setLocal, withSettings } from "../../statement-settings.ts";
import { shardedThrough } from "../rollup/partitions.ts";
import { inTransaction } from "../write/staged-copy.ts";
import { spanSource } from "./span-source.ts";
import type { Window } from "./window.ts";

export type DependencyEdge = {
  caller: string;
  /** A service, or a database or cache named by the client span's `db.system.name`. */
  callee: string;
  kind: "service" | "database";
  calls: number;
  errors: number;
  avgMs: number;
  p95Ms: number;
};

// How far before the window a parent span may have started (a long request's children).
const PARENT_SLACK_NS = 3_600_000_000_000n;

/** Every edge, by service id: $1 project, $2–$3 the window, $4 the parents' slack. */
const EDGES_SQL = `
  SELECT p.service_id AS caller_id, c.service_id::text AS callee, 'service' AS kind,
         count(*)::int AS calls, count(*) FILTER (WHERE c.status_code = 2)::int AS errors,
         (avg(c.duration_ns) / 1e6)::float8 AS avg_ms,
         (percentile_cont(0.95) WITHIN GROUP (ORDER BY c.duration_ns) / 1e6)::float8 AS p95_ms
    FROM ${spanSource({ project: "$1", from: "$2", to: "$3", columns: ["trace_id", "parent_span_id", "service_id", "status_code", "duration_ns"] })} c
    JOIN ${spanSource({ project: "$1", from: "$2::bigint - $4::bigint", to: "$3", columns: ["trace_id", "span_id", "service_id"] })} p
      ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
   WHERE p.service_id <> c.service_id
   GROUP BY 1, 2
  UNION ALL
  SELECT c.service_id, coalesce(c.attributes->>'db.system.name', c.attributes->>'db.system'), 'database',
         count(*)::int, count(*) FILTER (WHERE c.status_code = 2)::int,
         (avg(c.duration_ns) / 1e6)::float8,
         (percentile_cont(0.95) WITHIN GROUP (ORDER BY c.duration_ns) / 1e6)::float8
    FROM ${spanSource({ project: "$1", from: "$2", to: "$3", columns: ["service_id", "kind", "attributes", "status_code", "duration_ns"] })} c
   WHERE c.kind = 3 AND (c.attributes ? 'db.system.name' OR c.attributes ? 'db.system')
   GROUP BY 1, 2`;
const EDGE_ROW =
  "caller_id bigint, callee text, kind text, calls int, errors int, avg_ms float8, p95_ms float8";
type EdgeRow = {
  caller_id: string;
  callee: string;
  kind: DependencyEdge["kind"];
  calls: number;
  errors: number;
  avg_ms: number;
  p95_ms: number;
};

// The join of calls to their parents is an equi-join of two large sets: hashed or merged, never
// a nested loop. The planner picks a nested loop when it believes both sides nearly empty, and it
// does for the newest minutes of a day's partition (their start times lie past what ANALYZE last
// saw): 21,000 spans then took 101 s on a shard instead of 30 ms.
const EDGE_SETTINGS: Settings = { enable_nestloop: "off" };

/**
 * Who calls whom in a window, from spans: a span whose parent belongs to another service is a
 * call from that service; a client span with `db.system.name` (or the older `db.system`) is a
 * call to that database or cache. With `timeoutMs`, the read gives up after that long, on the
 * shards too.
 */
export async function dependencyEdges(
  pool: pg.Pool,
  projectId: string,
  window: Window,
  options: { timeoutMs?: number } = {},
): Promise<DependencyEdge[]> {
  const params = [projectId, window.fromNs, window.toNs, PARENT_SLACK_NS].map(String);
  return inTransaction(pool, async (client) => {
    const timeout: Settings = options.timeoutMs
      ? { statement_timeout: Math.ceil(options.timeoutMs) }
      : {};
    await setLocal(client, { ...EDGE_SETTINGS, ...timeout });
    const rows =
      (await onEachShard(client, window, params)) ??
      (await client.query<EdgeRow>(EDGES_SQL, params)).rows;
    return named(client, projectId, rows);
  });
}

/**
 * With shards, each shard joins its own spans (a trace and so a call's two spans live on one
 * shard; across postgres_fdw the join would fetch a remote scan per span) and the edges merge
 * here. p95 is each shard's p95 weighted by its calls: traces go to shards by hash, so each shard
 * holds a random sample of them. Null when a day of the window is kept on the coordinator.
 */
async function onEachShard(
  pool: Pick<pg.Pool, "query">,
  window: Window,
  params: string[],
): Promise<EdgeRow[] | null> {
  const servers = await shardServers(pool);
  const from = window.fromNs - PARENT_SLACK_NS;
  if (servers.length === 0 || !(await shardedThrough(pool, "span", from, window.toNs))) return null;
  const perShard = await Promise.all(
    servers.map((server) =>
      onShard<EdgeRow>(pool, server, withSettings(EDGE_SETTINGS, EDGES_SQL), params, EDGE_ROW),
    ),
  );
  const merged = new Map<string, EdgeRow>();
  for (const row of perShard.flat()) {
    const key = `${row.kind} ${row.caller_id} ${row.callee}`;
    const seen = merged.get(key);
    if (!seen) {
      merged.set(key, { ...row });
      continue;
    }
    const calls = seen.calls + row.calls;
    seen.avg_ms = (seen.avg_ms * seen.calls + row.avg_ms * row.calls) / calls;
    seen.p95_ms = (seen.p95_ms * seen.calls + row.p95_ms * row.calls) / calls;
    seen.errors += row.errors;
    seen.calls = calls;
  }
  return [...merged.values()];
}

/** The edges with their services' names, in caller then callee order. */
async function named(
  pool: Pick<pg.Pool, "query">,
  projectId: string,
  rows: EdgeRow[],
): Promise<DependencyEdge[]> {
  const ids = [
    ...new Set(
      rows.flatMap((row) => [row.caller_id, ...(row.kind === "service" ? [row.callee] : [])]),
    ),
  ];
  const services = await pool.query<{ id: string; name: string }>(
    "SELECT id::text, name FROM service WHERE project_id = $1 AND id = ANY($2::bigint[])",
    [projectId, ids],
  );
  const nameOf = new Map(services.rows.map((service) => [service.id, service.name]));
  const edges: DependencyEdge[] = [];
  for (const row of rows) {
    const caller = nameOf.get(String(row.caller_id));
    const callee = row.kind === "service" ? nameOf.get(row.callee) : row.callee;
    if (caller === undefined || callee === undefined) continue;
    edges.push({
      caller,
      callee,
      kind: row.kind,
      calls: row.calls,
      errors: row.errors,
      avgMs: row.avg_ms,
      p95Ms: row.p95_ms,
    });
  }
  return edges.sort((a, b) => a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee));
}
