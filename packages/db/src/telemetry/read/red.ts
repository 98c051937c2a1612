import { httpMetrics } from "@vigil/otel";
import type pg from "pg";
import { ERROR_SERIES, HOUR_NS } from "../rollup/rollups.ts";
import { literal } from "../sql-literal.ts";
import {
  histogramWidth,
  mergedCounts,
  pointSource,
  resolutionFor,
  servicePointSource,
} from "./point-source.ts";
import { spanSource } from "./span-source.ts";
import type { Window } from "./window.ts";

// RED (requests, errors, duration) in one place, whatever it is grouped by. A service's RED
// comes from its `http.server.request.duration` histogram (requests and errors from the counts,
// an error being a 5xx series; buckets merged for percentiles) or, for a service that sends
// traces but not that metric, from the spans it served.

/** Requests, errors and latency of one group (a service, a route) in one time step. */
export type RedStep = {
  /** The step's start, Unix nanoseconds. */
  t: string;
  requests: number;
  errors: number;
  /** Merged histogram buckets (seconds); null when the step came from spans. */
  bounds: number[] | null;
  counts: number[] | null;
  /** Latency percentiles in seconds, when computed here (from spans). */
  p50: number | null;
  p95: number | null;
  p99: number | null;
};
export type ServiceRedStep = RedStep & { service: string; environment: string };
export type RouteStep = RedStep & { route: string };

const HISTOGRAM = httpMetrics.serverDuration;

/** The spans that are requests a service served: server (2) and consumer (5) spans. */
export const SERVED_SPANS = "sp.kind IN (2, 5)";

const step = (t: string) => `((${t} / $4::bigint) * $4::bigint)::text AS t`;
const windowParams = (projectId: string, window: Window & { stepNs: bigint }) => [
  projectId,
  window.fromNs.toString(),
  window.toNs.toString(),
  window.stepNs.toString(),
];

/** The select list of RED from histogram points `p` (with an `errors` or `error` column). */
const fromHistogram = (width: number, errors: string) =>
  `sum(p.count)::float8 AS requests, coalesce(${errors}, 0)::float8 AS errors,
   max(p.bounds) AS bounds, ${mergedCounts(width)},
   NULL::float8 AS p50, NULL::float8 AS p95, NULL::float8 AS p99`;

/**
 * RED from served spans (`sp`, params $1–$4 as in windowParams), grouped by `groups`, which
 * are also selected first; `services` (SQL of type bigint[]) are the services whose spans count.
 */
const fromSpans = (groups: string[], services: string, join = "") =>
  `SELECT ${groups.join(", ")}, ${step("sp.start_ns")},
          count(*)::float8 AS requests,
          count(*) FILTER (WHERE sp.status_code = 2)::float8 AS errors,
          NULL::jsonb AS bounds, NULL::float8[] AS counts,
          percentile_cont(0.5) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p50,
          percentile_cont(0.95) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p95,
          percentile_cont(0.99) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p99
     FROM ${spanSource({
       project: "$1",
       from: "$2",
       to: "$3",
       columns: ["name", "service_id", "kind", "status_code", "duration_ns", "start_ns"],
       chunkFilter: `c.services && ${services}`,
     })} sp ${join}
    WHERE ${SERVED_SPANS} AND sp.service_id = ANY(${services})
    GROUP BY ${groups.map((_, i) => i + 1).join(", ")}, ${groups.length + 1}
    ORDER BY ${groups.map((_, i) => i + 1).join(", ")}, ${groups.length + 1}`;

/**
 * RED per service and step: from the histogram for the services that send it, from served
 * spans for the others (read by service, so the span index answers; none, no span scan).
 */
export async function redSteps(
  pool: pg.Pool,
  projectId: string,
  window: Window & { stepNs: bigint },
): Promise<ServiceRedStep[]> {
  const params = windowParams(projectId, window);
  const width = await histogramWidth(pool, projectId, HISTOGRAM);
  const source = servicePointSource(resolutionFor(window), {
    project: "$1",
    from: "$2",
    to: "$3",
    series: "sel",
  });
  const fromMetrics = await pool.query<ServiceRedStep>(
    `WITH sel AS (
       SELECT ms.id, ms.service_id, ms.name, ${ERROR_SERIES} AS error
         FROM metric_series ms WHERE ms.project_id = $1 AND ms.name = $5 AND ms.type = 3
     )
     SELECT s.name AS service, s.environment, ${step("p.t")}, ${fromHistogram(width, "sum(p.errors)")}
       FROM ${source} p
       JOIN service s ON s.project_id = $1 AND s.id = p.service_id
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [...params, HISTOGRAM],
  );
  const traceOnly = await pool.query<{ id: string }>(
    `SELECT s.id FROM service s WHERE s.project_id = $1 AND NOT EXISTS (
       SELECT 1 FROM metric_series ms WHERE ms.project_id = $1 AND ms.service_id = s.id AND ms.name = $2 AND ms.type = 3)`,
    [projectId, HISTOGRAM],
  );
  if (traceOnly.rows.length === 0) return fromMetrics.rows;
  const spans = await pool.query<ServiceRedStep>(
    fromSpans(
      ["s.name AS service", "s.environment"],
      "$5::bigint[]",
      "JOIN service s ON s.project_id = sp.project_id AND s.id = sp.service_id",
    ),
    [...params, traceOnly.rows.map((row) => row.id)],
  );
  return [...fromMetrics.rows, ...spans.rows];
}

const serviceIds = `SELECT id FROM service WHERE project_id = $1 AND name = $5`;

/**
 * RED per route of one service and step: from the histogram by `http.route`, or, for a service
 * that sends only traces, from its served spans by span name.
 */
export async function routeSteps(
  pool: pg.Pool,
  projectId: string,
  service: string,
  window: Window & { stepNs: bigint },
): Promise<RouteStep[]> {
  const params = [...windowParams(projectId, window), service];
  const width = await histogramWidth(pool, projectId, HISTOGRAM);
  const source = pointSource(resolutionFor(window), {
    project: "$1",
    from: "$2",
    to: "$3",
    series: "sel",
    carry: ["route", "error"],
  });
  const fromMetrics = await pool.query<RouteStep>(
    `WITH sel AS (
       SELECT ms.id, coalesce(ms.attributes->>${literal(httpMetrics.routeAttribute)}, '(no route)') AS route, ${ERROR_SERIES} AS error
         FROM metric_series ms
        WHERE ms.project_id = $1 AND ms.name = $6 AND ms.type = 3 AND ms.service_id IN (${serviceIds})
     )
     SELECT p.route, ${step("p.t")}, ${fromHistogram(width, "sum(p.count) FILTER (WHERE p.error)")}
       FROM ${source} p
      GROUP BY 1, 2 ORDER BY 1, 2`,
    [...params, HISTOGRAM],
  );
  if (fromMetrics.rows.length > 0) return fromMetrics.rows;
  const spans = await pool.query<RouteStep>(
    fromSpans(["sp.name AS route"], `ARRAY(${serviceIds})`),
    params,
  );
  return spans.rows;
}

/**
 * When each service's data begins inside the window (Unix nanoseconds): the start of the
 * interval its first request-duration point covers, or its first span (for packed hours, the
 * earliest start the first chunk hour holding its spans records). A service whose data
 * began before the window starts at the window's start. Rates divide by the time from here on,
 * not by the whole window, so a fresh service is not shown as slower than it is.
 */
export async function serviceDataStarts(
  pool: pg.Pool,
  projectId: string,
  window: Window,
): Promise<{ service: string; environment: string; firstNs: string }[]> {
  const result = await pool.query<{ service: string; environment: string; firstNs: string }>(
    `SELECT s.name AS service, s.environment,
            greatest($2::bigint, least(
              (SELECT min(f.start_ns) FROM metric_series ms
                 CROSS JOIN LATERAL (
                   SELECT p.start_ns FROM metric_point p
                    WHERE p.project_id = $1 AND p.series_id = ms.id
                      AND p.time_ns > $2 AND p.time_ns <= $3
                    ORDER BY p.time_ns LIMIT 1) f
                WHERE ms.project_id = $1 AND ms.service_id = s.id AND ms.name = $4 AND ms.type = 3),
              (SELECT min(sp.start_ns) FROM span sp
                WHERE sp.project_id = $1 AND sp.service_id = s.id
                  AND sp.start_ns >= $2 AND sp.start_ns < $3),
              (SELECT min(f.first) FROM span_chunk c CROSS JOIN LATERAL unnest(c.services, c.first_starts) f(id, first)
                WHERE c.project_id = $1 AND f.id = s.id AND f.first < $3
                  AND c.window_ns = (
                    SELECT c2.window_ns FROM span_chunk c2
                     WHERE c2.project_id = $1 AND c2.window_ns > $2::bigint - ${HOUR_NS} AND c2.window_ns < $3
                       AND c2.services @> ARRAY[s.id]
                     ORDER BY c2.window_ns LIMIT 1))
            ))::text AS "firstNs"
       FROM service s
      WHERE s.project_id = $1`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), HISTOGRAM],
  );
  return result.rows.filter((row) => row.firstNs !== null);
}
