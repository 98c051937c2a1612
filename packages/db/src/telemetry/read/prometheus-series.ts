// What PromQL reads: a project's series with what their Prometheus names and labels are made of,
// and their points as stored (running totals as sent, not increases: PromQL takes its own).
import type pg from "pg";
import { CHUNK_POINTS } from "./increases.ts";

export type PromCatalogRow = {
  id: string;
  name: string;
  type: number;
  unit: string;
  monotonic: boolean;
  cumulative: boolean;
  bounds: number[] | null;
  attributes: Record<string, unknown>;
  prometheus: boolean;
  service: string;
  instance: string;
  /** The instance's resource attributes (for target_info and service.namespace). */
  resource: Record<string, unknown>;
  /** When the instance was last heard from (ms). */
  last_seen_ms: number;
};

/**
 * The project's series whose Prometheus name could be `name` (a remote-written series named so,
 * or an OpenTelemetry one whose sanitized name starts it), or every series when `name` is null.
 */
export async function prometheusCatalog(
  pool: Pick<pg.Pool, "query">,
  projectId: string,
  name: string | null,
): Promise<PromCatalogRow[]> {
  const result = await pool.query<PromCatalogRow>(
    `SELECT s.id::text, s.name, s.type, s.unit, s.monotonic, s.cumulative, s.bounds, s.attributes,
            s.prometheus, sv.name AS service, si.instance, si.attributes AS resource,
            (extract(epoch FROM si.last_seen) * 1000)::float8 AS last_seen_ms
       FROM metric_series s
       JOIN service_instance si ON si.project_id = s.project_id AND si.id = s.instance_id
       JOIN service sv ON sv.project_id = s.project_id AND sv.id = si.service_id
      WHERE s.project_id = $1
        AND ($2::text IS NULL
             OR (s.prometheus AND s.name = $2)
             OR (NOT s.prometheus AND starts_with($2,
                   regexp_replace(regexp_replace(s.name, '[^a-zA-Z0-9_:]', '_', 'g'), '__+', '_', 'g'))))`,
    [projectId, name],
  );
  return result.rows;
}

/**
 * What the catalog's translation depends on: the newest series and the newest sign of life of
 * the project's instances (their resource attributes change only then).
 */
export async function prometheusCatalogVersion(
  pool: Pick<pg.Pool, "query">,
  projectId: string,
): Promise<string> {
  const result = await pool.query<{ version: string }>(
    `SELECT concat_ws('/', (SELECT max(id) FROM metric_series WHERE project_id = $1),
                      (SELECT max(last_seen) FROM service_instance WHERE project_id = $1)) AS version`,
    [projectId],
  );
  return result.rows[0]?.version ?? "";
}

export type PromPointRow = {
  series_id: string;
  /** Milliseconds (the stored nanoseconds, truncated). */
  t: number;
  value: number | null;
  count: number | null;
  sum: number | null;
  counts: number[] | null;
  quantiles: { quantile: number; value: number }[] | null;
};

const MS = 1_000_000n;

/** A read of the points of some series in a time range, as PromQL asks for them. */
export type SeriesRange = {
  projectId: string;
  seriesIds: string[];
  /** Points whose millisecond time falls in [mintMs, maxtMs]. */
  mintMs: number;
  maxtMs: number;
};

/**
 * The rows of `sql` for `range`: its parameters are the project ($1), the series' ids ($2) and
 * the range in ns, [$3, $4). No query for no series.
 */
export async function pointsOf(
  pool: Pick<pg.Pool, "query">,
  sql: string,
  range: SeriesRange,
): Promise<PromPointRow[]> {
  if (range.seriesIds.length === 0) return [];
  const lo = BigInt(Math.floor(range.mintMs)) * MS;
  const hi = BigInt(Math.floor(range.maxtMs)) * MS + MS;
  const result = await pool.query<PromPointRow>(sql, [
    range.projectId,
    range.seriesIds,
    lo.toString(),
    hi.toString(),
  ]);
  return result.rows;
}
const HOUR_NS = 3_600_000_000_000n;

/**
 * The points of `seriesIds` whose time falls in [mintMs, maxtMs] (inclusive, at millisecond
 * precision), recent rows and packed hours alike, in series and time order.
 */
export function prometheusPoints(
  pool: Pick<pg.Pool, "query">,
  range: SeriesRange,
): Promise<PromPointRow[]> {
  return pointsOf(
    pool,
    `SELECT own.id::text AS series_id, (x.time_ns / 1000000)::float8 AS t, x.value, x.count::float8 AS count,
            x.sum, x.counts::float8[] AS counts, x.quantiles
       FROM unnest($2::bigint[]) AS own(id) CROSS JOIN LATERAL (
         SELECT DISTINCT ON (time_ns) * FROM (
           SELECT p.time_ns, p.value, p.count, p.sum, p.counts, p.quantiles FROM metric_point p
            WHERE p.project_id = $1 AND p.series_id = own.id AND p.time_ns >= $3 AND p.time_ns < $4
           UNION ALL
           SELECT y.time_ns, y.value, y.count, y.sum, y.counts, y.quantiles
             FROM metric_chunk c CROSS JOIN LATERAL (${CHUNK_POINTS}) y
            WHERE c.project_id = $1 AND c.series_id = own.id AND c.window_ns > $3::bigint - ${HOUR_NS}
              AND c.window_ns < $4 AND y.time_ns >= $3 AND y.time_ns < $4
         ) both_stores ORDER BY time_ns
       ) x
      ORDER BY own.id, x.time_ns`,
    range,
  );
}

export type PromTargetRow = {
  service: string;
  instance: string;
  resource: Record<string, unknown>;
  /** When the instance was first and last heard from, in ms. */
  first_ms: number;
  last_ms: number;
};

/** The project's service instances heard from in [mintMs, maxtMs] (for `target_info`). */
export async function prometheusTargets(
  pool: Pick<pg.Pool, "query">,
  projectId: string,
  mintMs: number,
  maxtMs: number,
): Promise<PromTargetRow[]> {
  const result = await pool.query<PromTargetRow>(
    `SELECT sv.name AS service, si.instance, si.attributes AS resource,
            (extract(epoch FROM si.first_seen) * 1000)::float8 AS first_ms,
            (extract(epoch FROM si.last_seen) * 1000)::float8 AS last_ms
       FROM service_instance si JOIN service sv ON sv.project_id = si.project_id AND sv.id = si.service_id
      WHERE si.project_id = $1 AND si.last_seen >= to_timestamp($2 / 1000.0) AND si.first_seen <= to_timestamp($3 / 1000.0)`,
    [projectId, mintMs, maxtMs],
  );
  return result.rows;
}
