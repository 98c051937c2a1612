import type pg from "pg";
import { seriesPoints } from "../telemetry/read/increases.ts";

export type InstanceValue = { service: string; instance: string; value: number };

/**
 * A metric aggregated over a recent window per emitting instance (service name and instance id):
 * the last value, or the average, maximum or minimum of its points.
 */
export async function metricByInstance(
  pool: pg.Pool,
  projectId: string,
  metric: string,
  aggregation: "last" | "avg" | "max" | "min",
  sinceNs: bigint,
): Promise<InstanceValue[]> {
  const expression = {
    last: "(array_agg(p.value ORDER BY p.time_ns DESC))[1]",
    avg: "avg(p.value)",
    max: "max(p.value)",
    min: "min(p.value)",
  }[aggregation];
  const result = await pool.query<InstanceValue>(
    `SELECT sv.name AS service, si.instance, ${expression} AS value
       FROM metric_series ms
       CROSS JOIN LATERAL ${seriesPoints({ project: "$1", series: "ms.id", lo: "$3", hi: "9223372036854775807" })} p
       JOIN service_instance si ON si.project_id = ms.project_id AND si.id = ms.instance_id
       JOIN service sv ON sv.project_id = si.project_id AND sv.id = si.service_id
      WHERE ms.project_id = $1 AND ms.name = $2 AND p.value IS NOT NULL
      GROUP BY sv.name, si.instance`,
    [projectId, metric, sinceNs.toString()],
  );
  return result.rows;
}
