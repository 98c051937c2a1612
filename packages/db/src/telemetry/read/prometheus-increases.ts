// What PromQL reads of OpenTelemetry counters and histograms: increases, not running totals.
// Vigil knows when a cumulative series restarted (its start time changed) and what a delta point
// adds, so PromQL sees every such series as one running total that only grows: the first point's
// stored value, then each point's increase added (read/increases.ts says how increases are
// taken). Over whole minutes those increases are already summed by the rollups, which also keep
// each minute's first point: rate() and increase() read minutes instead of points.
import type pg from "pg";
import { MINUTE_NS } from "../rollup/rollups.ts";
import { CHUNK_POINTS, seriesPoints } from "./increases.ts";
import { type PromPointRow, pointsOf, type SeriesRange } from "./prometheus-series.ts";

type Pool = Pick<pg.Pool, "query">;
const MS = 1_000_000n;
const HOUR_NS = 3_600_000_000_000n;

const POINT = `(x.time_ns / 1000000)::float8 AS t, x.value, x.count::float8 AS count, x.sum,
               x.counts::float8[] AS counts, NULL::jsonb AS quantiles`;

/** Each point's increase (in time order) of `seriesIds` whose ms time is in [mintMs, maxtMs]. */
export function prometheusIncreases(pool: Pool, range: SeriesRange): Promise<PromPointRow[]> {
  const points = seriesPoints({
    project: "$1",
    series: "ids.id",
    lo: "$3::bigint",
    hi: "$4::bigint",
  });
  return pointsOf(
    pool,
    `SELECT ids.id::text AS series_id, ${POINT}
       FROM unnest($2::bigint[]) AS ids(id) CROSS JOIN LATERAL (SELECT * FROM ${points} p OFFSET 0) x
      ORDER BY ids.id, x.time_ns`,
    range,
  );
}

/** The first stored point (as sent, a running total for a cumulative series) of each series in [mintMs, maxtMs]. */
export function prometheusFirstPoints(pool: Pool, range: SeriesRange): Promise<PromPointRow[]> {
  return pointsOf(
    pool,
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
    range,
  );
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
  const pending = (
    await pool.query<{ bucket_ns: string }>(
      `SELECT bucket_ns::text FROM metric_rollup_pending
        WHERE project_id = $1 AND resolution = 60 AND bucket_ns >= $2 AND bucket_ns < $3`,
      [projectId, lo, hi],
    )
  ).rows.map((row) => row.bucket_ns);
  // Bucket counts come as text and are parsed as JSON, natively: the driver's array parser
  // costs more than the query when a window holds thousands of rows.
  const rolled = pool.query<
    PromMinuteRow & { counts_text: string | null; first_text: string | null }
  >(
    `SELECT r.series_id::text, (r.bucket_ns / 1000000)::float8 AS t, true AS minute, r.points,
            (r.first_ns / 1000000)::float8 AS first_t, (r.last_ns / 1000000)::float8 AS last_t,
            r.value_sum AS value, r.count::float8 AS count, r.counts::text AS counts_text,
            r.first_value, r.first_count::float8 AS first_count, r.first_counts::text AS first_text
       FROM metric_rollup r
      WHERE r.project_id = $1 AND r.resolution = 60 AND r.series_id = ANY($2::bigint[])
        AND r.bucket_ns >= $3 AND r.bucket_ns < $4 AND r.bucket_ns <> ALL($5::bigint[])`,
    [projectId, seriesIds, lo, hi, pending],
  );
  // Minutes still pending are read as points, one row each.
  const points = seriesPoints({
    project: "$1",
    series: "ids.id",
    lo: "pm.bucket_ns",
    hi: `pm.bucket_ns + ${MINUTE_NS}`,
  });
  const raw =
    pending.length === 0
      ? Promise.resolve({ rows: [] as PromMinuteRow[] })
      : pool.query<PromMinuteRow>(
          `SELECT ids.id::text AS series_id, (p.time_ns / 1000000)::float8 AS t, false AS minute,
                  1 AS points, (p.time_ns / 1000000)::float8 AS first_t, (p.time_ns / 1000000)::float8 AS last_t,
                  p.value, p.count::float8 AS count, p.counts::float8[] AS counts,
                  p.value AS first_value, p.count::float8 AS first_count, p.counts::float8[] AS first_counts
             FROM unnest($2::bigint[]) AS ids(id), unnest($3::bigint[]) AS pm(bucket_ns)
            CROSS JOIN LATERAL (SELECT * FROM ${points} q OFFSET 0) p`,
          [projectId, seriesIds, pending],
        );
  const numbers = (text: string | null) =>
    text ? (JSON.parse(`[${text.slice(1, -1)}]`) as number[]) : null;
  const rows: PromMinuteRow[] = (await rolled).rows.map(({ counts_text, first_text, ...row }) => ({
    ...row,
    counts: numbers(counts_text),
    first_counts: numbers(first_text),
  }));
  rows.push(...(await raw).rows);
  if (rows.some((row) => row.minute && row.first_t === null)) return null;
  return rows.sort((a, b) =>
    a.series_id === b.series_id ? a.t - b.t : Number(a.series_id) - Number(b.series_id),
  );
}
