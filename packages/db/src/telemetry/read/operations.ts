import type pg from "pg";
import { SERVED_SPANS } from "./red.ts";
import { spanSource } from "./span-source.ts";
import type { Window } from "./window.ts";

export type OperationStats = {
  operation: string;
  calls: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
};

const serviceIds = "SELECT id FROM service WHERE project_id = $1 AND name = $4";

/** A service's operations (its server and consumer spans, by name) with calls, errors and latency. */
export async function operationStats(
  pool: pg.Pool,
  projectId: string,
  service: string,
  window: Window,
  order: "slowest" | "failing",
  limit = 10,
): Promise<OperationStats[]> {
  const result = await pool.query<OperationStats>(
    `SELECT sp.name AS operation, count(*)::int AS calls,
            count(*) FILTER (WHERE sp.status_code = 2)::int AS errors,
            (percentile_cont(0.5) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e6)::float8 AS "p50Ms",
            (percentile_cont(0.95) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e6)::float8 AS "p95Ms",
            (max(sp.duration_ns) / 1e6)::float8 AS "maxMs"
       FROM ${spanSource({ project: "$1", from: "$2", to: "$3", columns: ["name", "status_code", "duration_ns", "kind", "service_id"], chunkFilter: `c.services && ARRAY(${serviceIds})` })} sp
      WHERE ${SERVED_SPANS} AND sp.service_id = ANY(ARRAY(${serviceIds}))
      GROUP BY 1
     HAVING $5 = 'slowest' OR count(*) FILTER (WHERE sp.status_code = 2) > 0
      ORDER BY ${order === "slowest" ? '"p95Ms" DESC' : "errors DESC, calls DESC"}
      LIMIT $6`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), service, order, limit],
  );
  return result.rows;
}
