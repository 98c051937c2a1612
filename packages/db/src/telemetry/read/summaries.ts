import { BUSINESS_PREFIX } from "@vigil/otel";
import type pg from "pg";
import { literal } from "../sql-literal.ts";
import { pointSource, resolutionFor, servicePointSource } from "./point-source.ts";
import type { Window } from "./window.ts";

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
    `WITH sel AS (
       SELECT ms.id, ms.name, ms.service_id, ms.instance_id FROM metric_series ms
        WHERE ms.project_id = $1 AND ms.name = ANY($4::text[])
     )
     SELECT s.name AS service, p.name AS metric,
            sum(p.value_sum) / nullif(sum(p.points), 0) AS avg, max(p.value_max) AS max, sum(p.value_sum) AS sum,
            count(DISTINCT p.instance_id)::int AS instances
       FROM ${pointSource(resolutionFor(window), { project: "$1", from: "$2", to: "$3", series: "sel", carry: ["name", "service_id", "instance_id"] })} p
       JOIN service s ON s.project_id = $1 AND s.id = p.service_id
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
    `WITH sel AS (
       SELECT ms.id, ms.service_id, ms.name, false AS error FROM metric_series ms
        WHERE ms.project_id = $1 AND ms.name LIKE ${literal(`${BUSINESS_PREFIX}%`)} AND ms.type IN (1, 2)
     ),
     kinds AS (SELECT name, min(type) AS type, max(unit) AS unit FROM metric_series
                WHERE project_id = $1 AND name LIKE ${literal(`${BUSINESS_PREFIX}%`)} AND type IN (1, 2) GROUP BY name)
     SELECT p.name AS metric, k.type, k.unit, ((p.t / $4::bigint) * $4::bigint)::text AS t,
            CASE WHEN k.type = 2 THEN sum(p.value_sum) ELSE sum(p.value_sum) / nullif(sum(p.points), 0) END AS value
       FROM ${servicePointSource(resolutionFor(window), { project: "$1", from: "$2", to: "$3", series: "sel" }, { allServices: true })} p
       JOIN kinds k ON k.name = p.name
      GROUP BY p.name, k.type, k.unit, 4
      ORDER BY 1, 4`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), window.stepNs.toString()],
  );
  return result.rows;
}

export type MetricName = { name: string; type: number; unit: string };

/** Every metric name the project (or one of its services) has received, with its type and unit. */
export async function metricCatalog(
  pool: pg.Pool,
  projectId: string,
  service?: string,
): Promise<MetricName[]> {
  const result = await pool.query<MetricName>(
    `SELECT name, min(type)::int AS type, max(unit) AS unit
       FROM metric_series
      WHERE project_id = $1
        AND ($2::text IS NULL OR service_id IN (SELECT id FROM service WHERE project_id = $1 AND name = $2))
      GROUP BY name ORDER BY name`,
    [projectId, service ?? null],
  );
  return result.rows;
}
