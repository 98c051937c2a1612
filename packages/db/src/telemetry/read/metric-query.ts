import type pg from "pg";
import { ERROR_SERIES } from "../rollup/rollups.ts";
import {
  histogramWidth,
  mergedCounts,
  pointSource,
  type Resolution,
  resolutionFor,
  STEP_AGGREGATES,
  servicePointSource,
} from "./point-source.ts";

/** `service.name` as a group-by key means the emitting service, not a series attribute. */
export const SERVICE_GROUP = "service.name";
/** `service.instance.id` as a group-by key means the emitting instance. */
export const INSTANCE_GROUP = "service.instance.id";

export type MetricQuery = {
  name: string;
  service?: string;
  /** Series attributes that must equal these values (compared as text). */
  where?: Record<string, string>;
  /** A series attribute, or `service.name`, whose values split the result into groups. */
  groupBy?: string;
  fromNs: bigint;
  toNs: bigint;
  stepNs: bigint;
  /** Read from this resolution instead of the coarsest that fits (it must tile the window). */
  resolution?: Resolution;
};

export type MetricBucket = {
  /** The group's value; null without groupBy or for series without the attribute. */
  group: string | null;
  t: string;
  points: number;
  valueAvg: number | null;
  valueSum: number | null;
  valueMin: number | null;
  valueMax: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  bounds: number[] | null;
  counts: number[] | null;
};

export type MetricResult = {
  type: number | null;
  unit: string;
  /** What the buckets were computed from: raw points (0) or minute/hour rollups. */
  resolution: Resolution;
  buckets: MetricBucket[];
};

/**
 * One metric over time in steps, per group: the aggregates of its points' values, counts and
 * sums, and (histograms) the bucket counts merged across series, for percentiles. Reads
 * rollups whenever the window and step are whole minutes or hours.
 */
export async function queryMetric(
  pool: pg.Pool,
  projectId: string,
  query: MetricQuery,
): Promise<MetricResult> {
  const params: unknown[] = [projectId, query.name];
  const where = ["ms.project_id = $1", "ms.name = $2"];
  if (query.service !== undefined) {
    params.push(query.service);
    where.push(
      `ms.service_id IN (SELECT id FROM service WHERE project_id = $1 AND name = $${params.length})`,
    );
  }
  for (const [key, value] of Object.entries(query.where ?? {})) {
    params.push(key, value);
    where.push(`ms.attributes->>$${params.length - 1} = $${params.length}`);
  }
  // Without attribute filters or groups, the per-service rollups answer: far fewer rows.
  const byService =
    Object.keys(query.where ?? {}).length === 0 &&
    (query.groupBy === undefined || query.groupBy === SERVICE_GROUP);
  let seriesGroup = "NULL::text";
  if (query.groupBy === INSTANCE_GROUP) {
    seriesGroup =
      "(SELECT i.instance FROM service_instance i WHERE i.project_id = ms.project_id AND i.id = ms.instance_id)";
  } else if (query.groupBy !== undefined && !byService) {
    params.push(query.groupBy);
    seriesGroup = `ms.attributes->>$${params.length}`;
  }
  const selection = `SELECT ms.id, ms.service_id, ms.name, ms.type, ms.unit, ${ERROR_SERIES} AS error,
      ${seriesGroup} AS grp FROM metric_series ms WHERE ${where.join(" AND ")}`;
  const [meta, width] = await Promise.all([
    pool.query<{ type: number; unit: string }>(
      `SELECT type, unit FROM (${selection}) s LIMIT 1`,
      params,
    ),
    histogramWidth(pool, projectId, query.name),
  ]);
  const resolution = query.resolution ?? resolutionFor(query);
  const n = params.length;
  const placeholders = { project: "$1", from: `$${n + 1}`, to: `$${n + 2}`, series: "sel" };
  const source = byService
    ? servicePointSource(resolution, placeholders, {
        allServices: query.service === undefined && query.groupBy === undefined,
      })
    : pointSource(resolution, { ...placeholders, carry: ["grp"] });
  const group = !byService
    ? "p.grp"
    : query.groupBy === SERVICE_GROUP
      ? "(SELECT s.name FROM service s WHERE s.project_id = $1 AND s.id = p.service_id)"
      : "NULL::text";
  const result = await pool.query<MetricBucket>(
    `WITH sel AS (${selection})
     SELECT ${group} AS "group", ((p.t / $${n + 3}::bigint) * $${n + 3}::bigint)::text AS t, ${STEP_AGGREGATES},
            ${mergedCounts(width)}
       FROM ${source} p
      GROUP BY 1, 2
      ORDER BY 1 NULLS FIRST, 2`,
    [...params, query.fromNs.toString(), query.toNs.toString(), query.stepNs.toString()],
  );
  return {
    type: meta.rows[0]?.type ?? null,
    unit: meta.rows[0]?.unit ?? "",
    resolution,
    buckets: result.rows,
  };
}

export type AttributeKeys = { key: string; values: string[] }[];

/** The attribute keys of a metric's series and up to 50 values each, for filter and group-by pickers. */
export async function metricAttributes(
  pool: pg.Pool,
  projectId: string,
  name: string,
): Promise<AttributeKeys> {
  const result = await pool.query<{ key: string; values: string[] }>(
    `SELECT a.key, (array_agg(DISTINCT a.value ORDER BY a.value))[1:50] AS values
       FROM metric_series ms, jsonb_each_text(ms.attributes) AS a(key, value)
      WHERE ms.project_id = $1 AND ms.name = $2
      GROUP BY a.key ORDER BY a.key`,
    [projectId, name],
  );
  return result.rows;
}
