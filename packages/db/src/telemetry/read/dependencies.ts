import type pg from "pg";
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

/**
 * Who calls whom in a window, from spans: a span whose parent belongs to another service is a
 * call from that service; a client span with `db.system.name` (or the older `db.system`) is a
 * call to that database or cache.
 */
export async function dependencyEdges(
  pool: pg.Pool,
  projectId: string,
  window: Window,
): Promise<DependencyEdge[]> {
  const params = [projectId, window.fromNs.toString(), window.toNs.toString()];
  const services = await pool.query<DependencyEdge>(
    `SELECT ps.name AS caller, cs.name AS callee, 'service' AS kind,
            count(*)::int AS calls, count(*) FILTER (WHERE c.status_code = 2)::int AS errors,
            (avg(c.duration_ns) / 1e6)::float8 AS "avgMs",
            (percentile_cont(0.95) WITHIN GROUP (ORDER BY c.duration_ns) / 1e6)::float8 AS "p95Ms"
       FROM ${spanSource({ project: "$1", from: "$2", to: "$3", columns: ["trace_id", "parent_span_id", "service_id", "status_code", "duration_ns"] })} c
       JOIN ${spanSource({ project: "$1", from: "$2::bigint - $4::bigint", to: "$3", columns: ["trace_id", "span_id", "service_id"] })} p
         ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
       JOIN service ps ON ps.project_id = p.project_id AND ps.id = p.service_id
       JOIN service cs ON cs.project_id = c.project_id AND cs.id = c.service_id
      WHERE p.service_id <> c.service_id
      GROUP BY 1, 2`,
    [...params, PARENT_SLACK_NS.toString()],
  );
  const databases = await pool.query<DependencyEdge>(
    `SELECT s.name AS caller, coalesce(c.attributes->>'db.system.name', c.attributes->>'db.system') AS callee,
            'database' AS kind,
            count(*)::int AS calls, count(*) FILTER (WHERE c.status_code = 2)::int AS errors,
            (avg(c.duration_ns) / 1e6)::float8 AS "avgMs",
            (percentile_cont(0.95) WITHIN GROUP (ORDER BY c.duration_ns) / 1e6)::float8 AS "p95Ms"
       FROM ${spanSource({ project: "$1", from: "$2", to: "$3", columns: ["service_id", "kind", "attributes", "status_code", "duration_ns"] })} c
       JOIN service s ON s.project_id = c.project_id AND s.id = c.service_id
      WHERE c.kind = 3
        AND (c.attributes ? 'db.system.name' OR c.attributes ? 'db.system')
      GROUP BY 1, 2`,
    params,
  );
  return [...services.rows, ...databases.rows].sort(
    (a, b) => a.caller.localeCompare(b.caller) || a.callee.localeCompare(b.callee),
  );
}
