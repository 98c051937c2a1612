// What PromQL reads of OpenTelemetry counters and histograms: increases, not running totals.
// Vigil knows when a cumulative series restarted (its start time changed) and what a delta point
// adds, so PromQL sees every such series as one running total that only grows: the first point's
// stored value, then each point's increase added (read/increases.ts says how increases are
// taken). Over whole minutes those increases are already summed by the rollups, which also keep
// each minute's first point: rate() and increase() read minutes instead of points.
import type pg from "pg";
import { MINUTE_NS } from "../rollup/rollups.ts";
import { CHUNK_POINTS, seriesPoints } from "./increases.ts";
import { nsRange, type PromPointRow } from "./prometheus-series.ts";

type Pool = Pick<pg.Pool, "query">;
const MS = 1_000_000n;
const HOUR_NS = 3_600_000_000_000n;

const POINT = `(x.time_ns / 1000000)::float8 AS t, x.value, x.count::float8 AS count, x.sum,
               x.counts::float8[] AS counts, NULL::jsonb AS quantiles`;

/** Each point's increase (in time order) of `seriesIds` whose ms time is in [mintMs, maxtMs]. */
export async function prometheusIncreases(
  pool: Pool,
  projectId: string,
  seriesIds: string[],
  mintMs: number,
  maxtMs: number,
): Promise<PromPointRow[]> {
  if (seriesIds.length === 0) return [];
  const [lo, hi] = nsRange(mintMs, maxtMs);
  const points = seriesPoints({
    project: "$1",
    series: "ids.id",
    lo: "$3::bigint",
    hi: "$4::bigint",
  });
  const result = await pool.query<PromPointRow>(
    `SELECT ids.id::text AS series_id, ${POINT}
       FROM unnest($2::bigint[]) AS ids(id) CROSS JOIN LATERAL (SELECT * FROM ${points} p OFFSET 0) x
      ORDER BY ids.id, x.time_ns`,
    [projectId, seriesIds, lo, hi],
  );
  return result.rows;
}

/** The first stored point (as sent, a running total for a cumulative series) of each series in [mintMs, maxtMs]. */
export async function prometheusFirstPoints(
  pool: Pool,
  projectId: string,
  seriesIds: string[],
  mintMs: number,
  maxtMs: number,
): Promise<PromPointRow[]> {
  if (seriesIds.length === 0) return [];
  const [lo, hi] = nsRange(mintMs, maxtMs);
  const result = await pool.query<PromPointRow>(
    `SELECT ids.id::text AS series_id, ${POINT}
       FROM unnest($2::bigint[]) AS ids(id) CROSS JOIN LATERAL (
         SELECT * FROM (
           (SELECT p.time_ns, p.value, p.count, p.sum, p.counts FROM metric_point p
             WHERE p.project_id = $1 AND p.series_id = ids.id AND p.time_ns >= $3 AND p.time_ns < $4
             ORDER BY p.time_ns LIMIT 1)
           UNION ALL
           (SELECT y.time_ns, y.value, y.count, y.sum, y.counts
              FROM (SELECT * FROM metric_chunk c
                     WHERE c.project_id = $1 AND c.series_id = ids.id AND c.window_ns > $3::bigint - ${HOUR_NS}
                       AND c.window_ns < $4 ORDER BY c.window_ns LIMIT 2) c
              CROSS JOIN LATERAL (${CHUNK_POINTS}) y
             WHERE y.time_ns >= $3 AND y.time_ns < $4 ORDER BY y.time_ns LIMIT 1)
         ) first ORDER BY time_ns LIMIT 1
       ) x`,
    [projectId, seriesIds, lo, hi],
  );
  return result.rows;
}

/**
 * A stretch of one series' points: a rolled-up minute (`minute`), or one point of a minute not
 * rolled up yet. Times in ms; `value`/`count`/`counts` sum the points' increases, `first*` are
 * the first point's increase.
 */
export type PromMinuteRow = {
  series_id: string;
  t: number;
  minute: boolean;
  points: number;
  first_t: number;
  last_t: number;
  value: number | null;
  count: number | null;
  counts: number[] | null;
  first_value: number | null;
  first_count: number | null;
  first_counts: number[] | null;
};

/**
 * The minutes of `seriesIds` from the one starting at `mintMs` to the one starting at `maxtMs`
 * (both minute-aligned), as rolled up, with the points of minutes still pending (or that
 * changed since) one row each; in series and time order. Null when a minute was rolled up
 * before rollups kept their first point.
 */
export async function prometheusMinutes(
  pool: Pool,
  projectId: string,
  seriesIds: string[],
  mintMs: number,
  maxtMs: number,
): Promise<PromMinuteRow[] | null> {
  if (seriesIds.length === 0) return [];
  const lo = (BigInt(mintMs) * MS).toString();
  const hi = (BigInt(maxtMs) * MS + MINUTE_NS).toString();
  const pending = `SELECT bucket_ns FROM metric_rollup_pending
     WHERE project_id = $1 AND resolution = 60 AND bucket_ns >= $3 AND bucket_ns < $4`;
  const points = seriesPoints({
    project: "$1",
    series: "ids.id",
    lo: "pm.bucket_ns",
    hi: `pm.bucket_ns + ${MINUTE_NS}`,
  });
  const result = await pool.query<PromMinuteRow>(
    `SELECT ids.id::text AS series_id, x.* FROM unnest($2::bigint[]) AS ids(id) CROSS JOIN LATERAL (
       SELECT (r.bucket_ns / 1000000)::float8 AS t, true AS minute, r.points,
              (r.first_ns / 1000000)::float8 AS first_t, (r.last_ns / 1000000)::float8 AS last_t,
              r.value_sum AS value, r.count::float8 AS count, r.counts::float8[] AS counts,
              r.first_value, r.first_count::float8 AS first_count, r.first_counts::float8[] AS first_counts
         FROM metric_rollup r
        WHERE r.project_id = $1 AND r.resolution = 60 AND r.series_id = ids.id
          AND r.bucket_ns >= $3 AND r.bucket_ns < $4 AND r.bucket_ns NOT IN (${pending})
       UNION ALL
       SELECT (p.time_ns / 1000000)::float8, false, 1, (p.time_ns / 1000000)::float8,
              (p.time_ns / 1000000)::float8, p.value, p.count::float8, p.counts::float8[],
              p.value, p.count::float8, p.counts::float8[]
         FROM (${pending}) pm CROSS JOIN LATERAL (SELECT * FROM ${points} q OFFSET 0) p
       OFFSET 0) x
     ORDER BY ids.id, x.t`,
    [projectId, seriesIds, lo, hi],
  );
  if (result.rows.some((row) => row.minute && row.first_t === null)) return null;
  return result.rows;
}
