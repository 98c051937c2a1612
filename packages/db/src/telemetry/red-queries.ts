import type pg from "pg";
import { histogramWidth, mergedCounts, resolutionFor, servicePointSource } from "./point-source.ts";
import { ERROR_SERIES } from "./rollup-job.ts";
import type { Window } from "./scaling-queries.ts";

/** Requests, errors and latency of one service in one time step. */
export type RedStep = {
  service: string;
  environment: string;
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

/**
 * RED per service and step from `http.server.request.duration` (requests and errors from the
 * histogram's counts, errors being status ≥ 500; buckets merged for percentiles), and, for
 * services that send traces but not that metric, from their server and consumer spans (a
 * queue worker's requests are the messages it processes).
 */
export async function redSteps(
  pool: pg.Pool,
  projectId: string,
  window: Window & { stepNs: bigint },
): Promise<RedStep[]> {
  const params = [
    projectId,
    window.fromNs.toString(),
    window.toNs.toString(),
    window.stepNs.toString(),
  ];
  const name = "http.server.request.duration";
  const width = await histogramWidth(pool, projectId, name);
  const source = servicePointSource(resolutionFor(window), {
    project: "$1",
    from: "$2",
    to: "$3",
    series: "sel",
  });
  const fromMetrics = await pool.query<RedStep>(
    `WITH sel AS (
       SELECT ms.id, ms.service_id, ms.name, ${ERROR_SERIES} AS error
         FROM metric_series ms WHERE ms.project_id = $1 AND ms.name = $5 AND ms.type = 3
     )
     SELECT s.name AS service, s.environment, ((p.t / $4::bigint) * $4::bigint)::text AS t,
            sum(p.count)::float8 AS requests,
            coalesce(sum(p.errors), 0)::float8 AS errors,
            max(p.bounds) AS bounds, ${mergedCounts(width)},
            NULL::float8 AS p50, NULL::float8 AS p95, NULL::float8 AS p99
       FROM ${source} p
       JOIN service s ON s.project_id = $1 AND s.id = p.service_id
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [...params, name],
  );
  // Services without the histogram: their RED comes from server and consumer spans (read by service, so the
  // span index answers; none of them, no span scan at all).
  const traceOnly = await pool.query<{ id: string }>(
    `SELECT s.id FROM service s WHERE s.project_id = $1 AND NOT EXISTS (
       SELECT 1 FROM metric_series ms WHERE ms.project_id = $1 AND ms.service_id = s.id AND ms.name = $2 AND ms.type = 3)`,
    [projectId, name],
  );
  if (traceOnly.rows.length === 0) return fromMetrics.rows;
  const fromSpans = await pool.query<RedStep>(
    `SELECT s.name AS service, s.environment, ((sp.start_ns / $4::bigint) * $4::bigint)::text AS t,
            count(*)::float8 AS requests,
            count(*) FILTER (WHERE sp.status_code = 2)::float8 AS errors,
            NULL::jsonb AS bounds, NULL::float8[] AS counts,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p50,
            percentile_cont(0.95) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p95,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY sp.duration_ns) / 1e9 AS p99
       FROM span sp
       JOIN service s ON s.project_id = sp.project_id AND s.id = sp.service_id
      WHERE sp.project_id = $1 AND sp.kind IN (2, 5) AND sp.start_ns >= $2 AND sp.start_ns < $3
        AND sp.service_id = ANY($5::bigint[])
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [...params, traceOnly.rows.map((row) => row.id)],
  );
  return [...fromMetrics.rows, ...fromSpans.rows];
}

/**
 * When each service's data begins inside the window (Unix nanoseconds): the start of the
 * interval its first request-duration point covers, or its first span. A service whose data
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
                  AND sp.start_ns >= $2 AND sp.start_ns < $3)
            ))::text AS "firstNs"
       FROM service s
      WHERE s.project_id = $1`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), "http.server.request.duration"],
  );
  return result.rows.filter((row) => row.firstNs !== null);
}
