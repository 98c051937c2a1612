import type pg from "pg";
import { histogramWidth, mergedCounts, pointSource, resolutionFor } from "./point-source.ts";
import { ERROR_SERIES } from "./rollup-job.ts";
import type { Window } from "./scaling-queries.ts";

/** Requests, errors and merged latency buckets of one route of a service in one step. */
export type RouteStep = {
  route: string;
  /** The step's start, Unix nanoseconds. */
  t: string;
  requests: number;
  errors: number;
  bounds: number[] | null;
  counts: number[] | null;
  /** Percentiles in seconds, when computed from spans (services that send no histogram). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
};

const serviceIds = `SELECT id FROM service WHERE project_id = $1 AND name = $5`;

/**
 * RED per route of one service and step: from `http.server.request.duration` by `http.route`,
 * or, for a service that sends only traces, from its server spans by span name.
 */
export async function routeSteps(
  pool: pg.Pool,
  projectId: string,
  service: string,
  window: Window & { stepNs: bigint },
): Promise<RouteStep[]> {
  const name = "http.server.request.duration";
  const params = [
    projectId,
    window.fromNs.toString(),
    window.toNs.toString(),
    window.stepNs.toString(),
    service,
    name,
  ];
  const width = await histogramWidth(pool, projectId, name);
  const source = pointSource(resolutionFor(window), {
    project: "$1",
    from: "$2",
    to: "$3",
    series: "sel",
    carry: ["route", "error"],
  });
  const fromMetrics = await pool.query<RouteStep>(
    `WITH sel AS (
       SELECT ms.id, coalesce(ms.attributes->>'http.route', '(no route)') AS route, ${ERROR_SERIES} AS error
         FROM metric_series ms
        WHERE ms.project_id = $1 AND ms.name = $6 AND ms.type = 3 AND ms.service_id IN (${serviceIds})
     )
     SELECT p.route, ((p.t / $4::bigint) * $4::bigint)::text AS t, sum(p.count)::float8 AS requests,
            coalesce(sum(p.count) FILTER (WHERE p.error), 0)::float8 AS errors,
            max(p.bounds) AS bounds, ${mergedCounts(width)},
            NULL::float8 AS p50, NULL::float8 AS p95, NULL::float8 AS p99
       FROM ${source} p
      GROUP BY 1, 2 ORDER BY 1, 2`,
    params,
  );
  if (fromMetrics.rows.length > 0) return fromMetrics.rows;
  const fromSpans = await pool.query<RouteStep>(
    `SELECT sp.name AS route, ((sp.start_ns / $4::bigint) * $4::bigint)::text AS t,
            count(*)::float8 AS requests, count(*) FILTER (WHERE sp.status_code = 2)::float8 AS errors,
            NULL::float8[] AS bounds, NULL::float8[] AS counts,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p99
       FROM span sp
      WHERE sp.project_id = $1 AND sp.kind = 2 AND sp.start_ns >= $2 AND sp.start_ns < $3
        AND sp.service_id IN (${serviceIds})
      GROUP BY 1, 2 ORDER BY 1, 2`,
    params.slice(0, 5),
  );
  return fromSpans.rows;
}

export type OperationStats = {
  operation: string;
  calls: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
};

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
       FROM span sp
      WHERE sp.project_id = $1 AND sp.start_ns >= $2 AND sp.start_ns < $3 AND sp.kind IN (2, 5)
        AND sp.service_id IN (SELECT id FROM service WHERE project_id = $1 AND name = $4)
      GROUP BY 1
     HAVING $5 = 'slowest' OR count(*) FILTER (WHERE sp.status_code = 2) > 0
      ORDER BY ${order === "slowest" ? '"p95Ms" DESC' : "errors DESC, calls DESC"}
      LIMIT $6`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), service, order, limit],
  );
  return result.rows;
}
