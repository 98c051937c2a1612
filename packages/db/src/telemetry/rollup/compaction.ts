import type pg from "pg";
import { type Place, placesOf } from "../../shards/place.ts";
import { CHUNK_POINTS } from "../read/increases.ts";
import { ensureDailyPartitions } from "./partitions.ts";
import { HOUR_NS } from "./rollups.ts";

// Packing closed hours of metric points into chunks (see the metric_chunk migration): the rows
// of one project's hour move, per series, into one row of arrays, in one transaction, so readers
// see each point in exactly one place. Points of an hour packed before (a late point, a retry)
// are merged into its chunk; a point whose time is already there is kept once.

/** How long after an hour ends it is packed: late points of the last minutes still land first. */
export const COMPACT_SETTLE_NS = 10n * 60_000_000_000n;

export type CompactionResult = { hours: number; series: number };

// Gauges, sums and histograms whose buckets match their series' layout; the rest (exponential
// histograms, summaries, a malformed point) stay rows.
// `series` is the table of series metadata as seen where this runs (see shards/place.ts).
const compactSql = (series: string) => `
  WITH moved AS (
    DELETE FROM metric_point p USING ${series} s
     WHERE p.project_id = $1 AND p.time_ns >= $2 AND p.time_ns < $2 + ${HOUR_NS}
       AND s.project_id = p.project_id AND s.id = p.series_id
       AND (s.type IN (1, 2)
            OR (s.type = 3 AND cardinality(p.counts) = coalesce(cardinality(s.bounds), 0) + 1))
    RETURNING p.series_id, p.time_ns, p.start_ns, p.value, p.count, p.sum, p.min, p.max, p.counts
  ),
  kept AS (
    SELECT c.series_id, x.time_ns, x.start_ns, x.value, x.count, x.sum, x.min, x.max, x.counts
      FROM metric_chunk c CROSS JOIN LATERAL (${CHUNK_POINTS}) x
     WHERE c.project_id = $1 AND c.window_ns = $2 AND c.series_id IN (SELECT series_id FROM moved)
  ),
  points AS (
    SELECT DISTINCT ON (series_id, time_ns) * FROM (
      SELECT *, 0 AS o FROM kept UNION ALL SELECT *, 1 AS o FROM moved) a
     ORDER BY series_id, time_ns, o
  )
  INSERT INTO metric_chunk (project_id, series_id, window_ns, times, starts, vals, counts, sums, mins, maxs, buckets)
  SELECT $1, series_id, $2,
         array_agg(time_ns ORDER BY time_ns), array_agg(start_ns ORDER BY time_ns),
         CASE WHEN count(value) > 0 THEN array_agg(value ORDER BY time_ns) END,
         CASE WHEN count(count) > 0 THEN array_agg(count ORDER BY time_ns) END,
         CASE WHEN count(sum) > 0 THEN array_agg(sum ORDER BY time_ns) END,
         CASE WHEN count(min) > 0 THEN array_agg(min ORDER BY time_ns) END,
         CASE WHEN count(max) > 0 THEN array_agg(max ORDER BY time_ns) END,
         array_agg(counts ORDER BY time_ns) FILTER (WHERE counts IS NOT NULL)
    FROM points GROUP BY series_id
  ON CONFLICT (project_id, series_id, window_ns) DO UPDATE SET
    times = EXCLUDED.times, starts = EXCLUDED.starts, vals = EXCLUDED.vals, counts = EXCLUDED.counts,
    sums = EXCLUDED.sums, mins = EXCLUDED.mins, maxs = EXCLUDED.maxs, buckets = EXCLUDED.buckets`;

/**
 * Packs every hour of metric points that ended at least COMPACT_SETTLE_NS ago (at most `limit`
 * project-hours a run and place, oldest first), on each shard where there are shards; returns how
 * many hours and series' chunks were written.
 */
export async function compactMetrics(
  pool: pg.Pool,
  options: { nowNs?: bigint; limit?: number } = {},
): Promise<CompactionResult> {
  const hours = new Set<string>(); // a project's hour, packed on one shard or several
  let series = 0;
  for (const place of await placesOf(pool)) {
    series += await compactMetricsAt(pool, place, options, hours);
  }
  return { hours: hours.size, series };
}

async function compactMetricsAt(
  pool: pg.Pool,
  place: Place,
  options: { nowNs?: bigint; limit?: number },
  hours: Set<string>,
): Promise<number> {
  const nowNs = options.nowNs ?? BigInt(Date.now()) * 1_000_000n;
  const settled = nowNs - COMPACT_SETTLE_NS;
  const due = await place.rows<{ project_id: string; window_ns: string }>(
    `SELECT DISTINCT p.project_id, p.time_ns - p.time_ns % ${HOUR_NS} AS window_ns
       FROM metric_point p JOIN ${place.seriesTable} s ON s.project_id = p.project_id AND s.id = p.series_id
      WHERE p.time_ns < $1 AND s.type IN (1, 2, 3) ORDER BY 2, 1 LIMIT $2`,
    [(settled - (settled % HOUR_NS)).toString(), options.limit ?? 100],
    "project_id uuid, window_ns bigint",
  );
  await ensureDailyPartitions(
    pool,
    "metric_chunk",
    due.map((row) => Number(BigInt(row.window_ns) / 86_400_000_000_000n)),
  );
  let series = 0;
  for (const { project_id, window_ns } of due) {
    hours.add(`${project_id} ${window_ns}`);
    series += await place.write(compactSql(place.seriesTable), [project_id, window_ns]);
  }
  return series;
}
