// Metric points as every reader sees them. Points are stored as sent; a cumulative series' points
// hold running totals, and here each becomes the increase since the point before it, as
// Prometheus's `rate` does at read time:
// - the first point of a series, or one after a restart, counts whole, from its own start time;
// - a restart is a new start time, a count that went down, a bucket that went down, or a
//   monotonic value that went down (an up-down counter may go down: a negative increase);
// - an increase covers (previous time, time] and drops min and max, which describe the whole
//   life of a cumulative histogram, not the interval.
// Gauges, delta sums and summaries are read as stored, without the window over their points
// that increases need. Points arriving out of order or twice change nothing: increases are taken
// in time order, and a point is stored once.

/** The columns of a point as readers see them (the stored ones, with increases taken). */
export const POINT_COLUMNS =
  "series_id, time_ns, start_ns, value, count, sum, min, max, bounds, counts, exp, quantiles";

const STORED = "time_ns, start_ns, value, count, sum, min, max, counts, exp, quantiles";

/** Per row of `q` (a cumulative series' point and `prev_*` columns): its increase, or whole. */
const INCREASE = `
  SELECT q.series_id, q.time_ns,
         CASE WHEN k.as_is THEN q.start_ns ELSE q.prev_time END AS start_ns,
         CASE WHEN k.as_is THEN q.value ELSE q.value - q.prev_value END AS value,
         CASE WHEN k.as_is THEN q.count ELSE q.count - q.prev_count END AS count,
         CASE WHEN k.as_is THEN q.sum ELSE q.sum - q.prev_sum END AS sum,
         CASE WHEN k.as_is THEN q.min END AS min,
         CASE WHEN k.as_is THEN q.max END AS max,
         q.bounds,
         CASE WHEN k.as_is THEN q.counts ELSE vigil_counts_increase(q.counts, q.prev_counts) END AS counts,
         q.exp, q.quantiles
    FROM q CROSS JOIN LATERAL (
      SELECT q.prev_time IS NULL
          OR q.start_ns <> q.prev_start
          OR coalesce(q.monotonic AND q.value < q.prev_value, false)
          OR coalesce(q.count < q.prev_count, false)
          OR (q.counts IS NOT NULL AND vigil_counts_increase(q.counts, q.prev_counts) IS NULL) AS as_is
    ) k
   WHERE q.time_ns >= $LO`;

const PREVIOUS = (partition: string, t = "c") => {
  const w = `OVER (${partition} ORDER BY ${t}.time_ns)`;
  return `lag(${t}.time_ns) ${w} AS prev_time, lag(${t}.start_ns) ${w} AS prev_start,
          lag(${t}.value) ${w} AS prev_value, lag(${t}.count) ${w} AS prev_count,
          lag(${t}.sum) ${w} AS prev_sum, lag(${t}.counts) ${w} AS prev_counts`;
};

const fill = (sql: string, values: Record<string, string>) =>
  sql.replace(/\$(LO|HI|PROJECT|SERIES)\b/g, (_, name: string) => values[name] as string);

const HOUR = 3_600_000_000_000n;

/**
 * The points packed in the chunk row `c` (metric_chunk), with STORED columns: the arrays
 * unnested side by side, and each point's bucket counts taken from its row of `buckets` (one
 * pass over the array per chunk, not one per point).
 */
export const CHUNK_POINTS = `
  SELECT u.time_ns, u.start_ns, u.value, u.count, u.sum, u.min, u.max, h.counts,
         NULL::jsonb AS exp, NULL::jsonb AS quantiles
    FROM unnest(c.times, c.starts, c.vals, c.counts, c.sums, c.mins, c.maxs)
         WITH ORDINALITY AS u(time_ns, start_ns, value, count, sum, min, max, i)
    LEFT JOIN (
      SELECT (b.k - 1) / array_length(c.buckets, 2) + 1 AS i, array_agg(b.v ORDER BY b.k) AS counts
        FROM unnest(c.buckets) WITH ORDINALITY AS b(v, k) GROUP BY 1
    ) h USING (i)`;

/** Chunks of series `series` (an id expression) whose hour overlaps [lo, hi). */
const chunksOf = (series: string, lo: string, hi: string) =>
  `(SELECT * FROM metric_chunk c WHERE c.project_id = $PROJECT AND c.series_id = ${series}
     AND c.window_ns > ${lo} - ${HOUR} AND c.window_ns < ${hi}) c`;

/** The latest point of series `series` before `lo`, recent rows and chunks alike. */
const pointBefore = (series: string) => `
  (SELECT * FROM (
     (SELECT ${STORED} FROM metric_point b
       WHERE b.project_id = $PROJECT AND b.series_id = ${series} AND b.time_ns < $LO
       ORDER BY b.time_ns DESC LIMIT 1)
     UNION ALL
     (SELECT x.* FROM (SELECT * FROM metric_chunk c
                        WHERE c.project_id = $PROJECT AND c.series_id = ${series} AND c.window_ns < $LO
                        ORDER BY c.window_ns DESC LIMIT 2) c
        CROSS JOIN LATERAL (${CHUNK_POINTS}) x
       WHERE x.time_ns < $LO ORDER BY x.time_ns DESC LIMIT 1)
   ) latest ORDER BY time_ns DESC LIMIT 1)`;

/**
 * The points of one series (`series`, an id expression, usually a LATERAL outer column; the
 * aliases `own` and `c` are taken) in [lo, hi), with POINT_COLUMNS, from recent rows and packed
 * hours alike. A cumulative series also reads its one point before `lo` (index probes), so the
 * first increase in the window is exact. A point stored in both (a retry of an hour already
 * packed) is read once.
 */
export function seriesPoints(p: { project: string; series: string; lo: string; hi: string }) {
  const stored = `SELECT DISTINCT ON (time_ns) * FROM (
      (SELECT ${STORED} FROM metric_point p
        WHERE p.project_id = $PROJECT AND p.series_id = own.id AND p.time_ns >= $LO AND p.time_ns < $HI)
      UNION ALL
      SELECT x.* FROM ${chunksOf("own.id", "$LO", "$HI")}
        CROSS JOIN LATERAL (SELECT * FROM (${CHUNK_POINTS}) y WHERE y.time_ns >= $LO AND y.time_ns < $HI) x
    ) both_stores ORDER BY time_ns`;
  return fill(
    `(WITH q AS (
        SELECT own.id AS series_id, own.monotonic, own.bounds, d.*, ${PREVIOUS("", "d")}
          FROM metric_series own CROSS JOIN LATERAL (
            SELECT * FROM ${pointBefore("own.id")} before
            UNION ALL
            SELECT * FROM (${stored}) here
          ) d
         WHERE own.project_id = $PROJECT AND own.id = $SERIES AND own.cumulative)
      ${INCREASE}
      UNION ALL
      SELECT own.id, d.time_ns, d.start_ns, d.value, d.count, d.sum, d.min, d.max, own.bounds,
             d.counts, d.exp, d.quantiles
        FROM metric_series own CROSS JOIN LATERAL (${stored}) d
       WHERE own.project_id = $PROJECT AND own.id = $SERIES AND NOT own.cumulative)`,
    { PROJECT: p.project, SERIES: p.series, LO: p.lo, HI: p.hi },
  );
}

/**
 * Every point of a project in [lo, hi) (a range scan on time, and on the hours packed), with
 * POINT_COLUMNS; each cumulative series found there also reads its one point before `lo`.
 */
export function projectPoints(p: {
  project: string;
  lo: string;
  hi: string;
  /** Where series metadata is read (on a shard: the coordinator's, see shards/). */
  seriesTable?: string;
}) {
  const series = p.seriesTable ?? "metric_series";
  return fill(
    `(WITH here AS (
        SELECT DISTINCT ON (series_id, time_ns) * FROM (
          SELECT series_id, ${STORED} FROM metric_point
           WHERE project_id = $PROJECT AND time_ns >= $LO AND time_ns < $HI
          UNION ALL
          SELECT c.series_id, x.* FROM metric_chunk c
            CROSS JOIN LATERAL (SELECT * FROM (${CHUNK_POINTS}) y WHERE y.time_ns >= $LO AND y.time_ns < $HI) x
           WHERE c.project_id = $PROJECT AND c.window_ns > $LO - ${HOUR} AND c.window_ns < $HI
        ) both_stores ORDER BY series_id, time_ns
      ),
      before AS (
        SELECT own.id AS series_id, b.* FROM ${series} own CROSS JOIN LATERAL ${pointBefore("own.id")} b
         WHERE own.project_id = $PROJECT AND own.cumulative
           AND own.id IN (SELECT DISTINCT series_id FROM here)
      ),
      q AS (
        SELECT own.monotonic, own.bounds, c.*, ${PREVIOUS("PARTITION BY c.series_id")}
          FROM (SELECT * FROM here UNION ALL SELECT * FROM before) c
          JOIN ${series} own ON own.project_id = $PROJECT AND own.id = c.series_id AND own.cumulative
      )
      ${INCREASE}
      UNION ALL
      SELECT c.series_id, c.time_ns, c.start_ns, c.value, c.count, c.sum, c.min, c.max, own.bounds,
             c.counts, c.exp, c.quantiles
        FROM here c
        JOIN ${series} own ON own.project_id = $PROJECT AND own.id = c.series_id AND NOT own.cumulative)`,
    { PROJECT: p.project, LO: p.lo, HI: p.hi },
  );
}
