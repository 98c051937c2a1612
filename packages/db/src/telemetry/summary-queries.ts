import type pg from "pg";
import type { Window } from "./scaling-queries.ts";

export type MetricSummary = {
  service: string;
  metric: string;
  /** Mean, largest and total of the stored values (sums are stored as increases). */
  avg: number | null;
  max: number | null;
  sum: number | null;
  instances: number;
};

/** Mean, max and total of each named metric per service over a window. */
export async function metricSummaries(
  pool: pg.Pool,
  projectId: string,
  window: Window,
  names: string[],
): Promise<MetricSummary[]> {
  const result = await pool.query<MetricSummary>(
    `SELECT s.name AS service, ms.name AS metric,
            avg(p.value) AS avg, max(p.value) AS max, sum(p.value) AS sum,
            count(DISTINCT ms.instance_id)::int AS instances
       FROM metric_point p
       JOIN metric_series ms ON ms.project_id = p.project_id AND ms.id = p.series_id
       JOIN service s ON s.project_id = ms.project_id AND s.id = ms.service_id
      WHERE p.project_id = $1 AND p.time_ns >= $2 AND p.time_ns < $3 AND ms.name = ANY($4::text[])
      GROUP BY 1, 2
      ORDER BY 1, 2`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), names],
  );
  return result.rows;
}

export type BusinessStep = {
  metric: string;
  /** 1 gauge, 2 sum. */
  type: number;
  unit: string;
  /** The step's start, Unix nanoseconds. */
  t: string;
  /** Sums: the increase in the step; gauges: the mean. */
  value: number;
};

/** Every `business.*` metric of the project per step, across services and attributes. */
export async function businessSteps(
  pool: pg.Pool,
  projectId: string,
  window: Window & { stepNs: bigint },
): Promise<BusinessStep[]> {
  const result = await pool.query<BusinessStep>(
    `SELECT ms.name AS metric, ms.type, max(ms.unit) AS unit,
            ((p.time_ns / $4::bigint) * $4::bigint)::text AS t,
            CASE WHEN ms.type = 2 THEN sum(p.value) ELSE avg(p.value) END AS value
       FROM metric_point p
       JOIN metric_series ms ON ms.project_id = p.project_id AND ms.id = p.series_id
      WHERE p.project_id = $1 AND p.time_ns >= $2 AND p.time_ns < $3
        AND ms.name LIKE 'business.%' AND ms.type IN (1, 2)
      GROUP BY ms.name, ms.type, 4
      ORDER BY 1, 4`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), window.stepNs.toString()],
  );
  return result.rows;
}

export type MetricName = { name: string; type: number; unit: string };

/** Every metric name the project has received, with its type and unit. */
export async function metricCatalog(pool: pg.Pool, projectId: string): Promise<MetricName[]> {
  const result = await pool.query<MetricName>(
    `SELECT name, min(type)::int AS type, max(unit) AS unit
       FROM metric_series WHERE project_id = $1
      GROUP BY name ORDER BY name`,
    [projectId],
  );
  return result.rows;
}
