import type pg from "pg";
import { HOUR_NS, MINUTE_NS } from "../rollup/rollups.ts";
import { seriesPoints } from "./increases.ts";

/** Where a chart reads its points from: raw points (0), minute (60) or hour (3600) rollups. */
export type Resolution = 0 | 60 | 3600;

/**
 * The coarsest rollup whose buckets tile the window and its steps exactly, raw points otherwise
 * (short ranges with steps under a minute).
 */
export function resolutionFor(window: {
  fromNs: bigint;
  toNs: bigint;
  stepNs?: bigint;
}): Resolution {
  const stepNs = window.stepNs ?? window.toNs - window.fromNs;
  for (const [resolution, size] of [
    [3600, HOUR_NS],
    [60, MINUTE_NS],
  ] as const) {
    if (window.fromNs % size === 0n && window.toNs % size === 0n && stepNs % size === 0n) {
      return resolution;
    }
  }
  return 0;
}

export type SourceParams = {
  /** Placeholders of the query that uses the source, e.g. "$1". */
  project: string;
  from: string;
  to: string;
  /** A relation (usually a CTE) with the chosen series' ids in column `id`. */
  series: string;
  /** Columns of `series` to pass through on every row (say, a group key). */
  carry?: string[];
};

type Level = {
  /** Raw points in [lo, hi) of the chosen series; `outer` drives it (pending buckets). */
  raw(lo: string, hi: string, outer?: string): string;
  /** Rollups at `res` in [lo, hi), except the buckets `skip` selects. */
  rolled(res: number, lo: string, hi: string, skip: string, outer?: string): string;
};

// LATERAL with OFFSET 0 (which keeps the planner from flattening it), so each series, service
// or pending bucket is one index range scan, whatever the planner guesses about the small
// relations that drive it.
function seriesLevel(p: SourceParams): Level {
  const carried = (p.carry ?? []).map((column) => `se.${column}, `).join("");
  return {
    raw: (lo, hi, outer = "") => `
      SELECT ${carried}x.* FROM ${outer}${p.series} se CROSS JOIN LATERAL (
        SELECT p.series_id, p.time_ns AS t, 1 AS points, p.value AS value_sum, p.value AS value_min,
               p.value AS value_max, p.value AS value_last, p.time_ns AS last_ns,
               p.count, p.sum, p.min, p.max, p.bounds, p.counts
          FROM ${seriesPoints({ project: p.project, series: "se.id", lo, hi })} p OFFSET 0) x`,
    rolled: (res, lo, hi, skip, outer = "") => `
      SELECT ${carried}x.* FROM ${outer}${p.series} se CROSS JOIN LATERAL (
        SELECT r.series_id, r.bucket_ns AS t, r.points, r.value_sum, r.value_min, r.value_max,
               r.value_last, r.last_ns, r.count, r.sum, r.min, r.max, r.bounds, r.counts
          FROM metric_rollup r
         WHERE r.project_id = ${p.project} AND r.resolution = ${res} AND r.series_id = se.id
           AND r.bucket_ns >= ${lo} AND r.bucket_ns < ${hi} AND r.bucket_ns NOT IN (${skip}) OFFSET 0) x`,
  };
}

function serviceLevel(p: SourceParams, allServices: boolean): Level {
  // Service 0 holds every service of the project merged.
  const services = allServices
    ? `(SELECT DISTINCT 0::bigint AS service_id, name FROM ${p.series})`
    : `(SELECT DISTINCT service_id, name FROM ${p.series})`;
  return {
    raw: (lo, hi, outer = "") => `
      SELECT se.service_id, se.name, x.* FROM ${outer}${p.series} se CROSS JOIN LATERAL (
        SELECT p.time_ns AS t, 1 AS points, p.value AS value_sum, p.value AS value_min, p.value AS value_max,
               p.count, CASE WHEN se.error THEN p.count END AS errors, p.sum, p.min, p.max, p.bounds, p.counts
          FROM ${seriesPoints({ project: p.project, series: "se.id", lo, hi })} p OFFSET 0) x`,
    rolled: (res, lo, hi, skip, outer = "") => `
      SELECT sv.service_id, sv.name, x.* FROM ${outer}${services} sv CROSS JOIN LATERAL (
        SELECT r.bucket_ns AS t, r.points, r.value_sum, r.value_min, r.value_max, r.count, r.errors,
               r.sum, r.min, r.max, r.bounds, r.counts
          FROM metric_service_rollup r
         WHERE r.project_id = ${p.project} AND r.resolution = ${res} AND r.service_id = sv.service_id
           AND r.name = sv.name AND r.bucket_ns >= ${lo} AND r.bucket_ns < ${hi} AND r.bucket_ns NOT IN (${skip}) OFFSET 0) x`,
  };
}

function assemble(level: Level, resolution: Resolution, p: SourceParams): string {
  if (resolution === 0) return `(${level.raw(p.from, p.to)})`;
  const pendingMinutes = `SELECT bucket_ns FROM metric_rollup_pending
     WHERE project_id = ${p.project} AND resolution = 60 AND bucket_ns >= ${p.from} AND bucket_ns < ${p.to}`;
  const rawPending = level.raw(
    "d.bucket_ns",
    `d.bucket_ns + ${MINUTE_NS}`,
    `(${pendingMinutes}) d CROSS JOIN `,
  );
  if (resolution === 60) {
    return `(${level.rolled(60, p.from, p.to, pendingMinutes)} UNION ALL ${rawPending})`;
  }
  // An hour is stale when it is pending or holds a pending minute: read its minutes instead.
  const staleHours = `SELECT DISTINCT bucket_ns - bucket_ns % ${HOUR_NS} AS hour FROM metric_rollup_pending
     WHERE project_id = ${p.project} AND bucket_ns >= ${p.from} AND bucket_ns < ${p.to}`;
  return `(${level.rolled(3600, p.from, p.to, staleHours)}
    UNION ALL ${level.rolled(60, "h.hour", `h.hour + ${HOUR_NS}`, pendingMinutes, `(${staleHours}) h CROSS JOIN `)}
    UNION ALL ${rawPending})`;
}

/**
 * A FROM item with one row per series and bucket (`t` its start, or the point's time for raw
 * points) and the columns every aggregation needs: points, value_sum/min/max/last, last_ns,
 * count, sum, min, max, bounds, counts. Rolled-up buckets whose raw points changed since are read
 * from those points instead, so every resolution gives the same answer.
 */
export function pointSource(resolution: Resolution, p: SourceParams): string {
  return assemble(seriesLevel(p), resolution, p);
}

/**
 * Like `pointSource`, merged per service and metric: rows carry `service_id`, `name` and
 * `errors` (observations of 5xx series) besides the usual columns (no `value_last`), and read the
 * service rollups, which hold one row per service and bucket however many series a metric has.
 * With `allServices`, rolled-up rows are the whole project's (service_id 0), for charts that
 * neither filter nor group by service. `series` must have `id`, `service_id`, `name` and `error`
 * (see ERROR_SERIES).
 */
export function servicePointSource(
  resolution: Resolution,
  p: SourceParams,
  options: { allServices?: boolean } = {},
): string {
  return assemble(serviceLevel(p, options.allServices ?? false), resolution, p);
}

/**
 * The aggregate columns of a step over a source's rows (alias `p`): the same names and meaning
 * whether the rows are raw points or rollups.
 */
export const STEP_AGGREGATES = `sum(p.points)::int AS points,
  sum(p.value_sum) / nullif(sum(p.points) FILTER (WHERE p.value_sum IS NOT NULL), 0) AS "valueAvg",
  sum(p.value_sum) AS "valueSum", min(p.value_min) AS "valueMin", max(p.value_max) AS "valueMax",
  sum(p.count::float8) AS count, sum(p.sum) AS sum, min(p.min) AS min, max(p.max) AS max,
  max(p.bounds) AS bounds`;

/**
 * Histogram bucket counts summed index by index over a step's rows (alias `p`), as `counts`.
 * One sum per bucket in a single pass: far cheaper than unnesting every array.
 */
export function mergedCounts(width: number): string {
  if (width <= 0) return `NULL::float8[] AS counts`;
  const sums = Array.from(
    { length: width },
    (_, i) => `coalesce(sum(p.counts[${i + 1}]::float8), 0)`,
  );
  // Cut to this step's own bucket layout: series of another layout may be wider.
  return `(CASE WHEN count(p.counts) > 0 THEN ARRAY[${sums.join(", ")}]::float8[] END)[1:coalesce(cardinality(max(p.bounds)), ${width - 1}) + 1] AS counts`;
}

/**
 * The number of buckets of a histogram metric: one more than its series' bounds (series of one
 * metric share their boundaries; the merge above assumes it).
 */
export async function histogramWidth(
  pool: pg.Pool,
  projectId: string,
  name: string,
): Promise<number> {
  const result = await pool.query<{ width: number }>(
    `SELECT (coalesce(max(cardinality(bounds)), -1) + 1)::int AS width
       FROM metric_series WHERE project_id = $1 AND name = $2 AND type = 3`,
    [projectId, name],
  );
  return result.rows[0]?.width ?? 0;
}
