import type pg from "pg";
import type { MetricPointRow } from "./metric-rows.ts";
import { ensureDailyPartitions } from "./partitions.ts";
import { inTransaction } from "./staged-copy.ts";

export const MINUTE_NS = 60_000_000_000n;
export const HOUR_NS = 3_600_000_000_000n;

/**
 * Marks the minutes `points` fall in as pending a rollup, in the writer's transaction. The no-op
 * update locks each pending row until the points commit, so the rollup job cannot take the mark
 * away before it can see the points (it skips locked marks and comes back for them).
 * Keys are locked in one order, so concurrent writers cannot deadlock.
 */
export async function markRollupsPending(
  client: pg.PoolClient,
  points: Pick<MetricPointRow, "projectId" | "timeNs">[],
): Promise<void> {
  const keys = new Map<string, [string, bigint]>();
  for (const point of points) {
    const bucket = point.timeNs - (point.timeNs % MINUTE_NS);
    keys.set(`${point.projectId}/${bucket}`, [point.projectId, bucket]);
  }
  const sorted = [...keys.values()];
  await client.query(
    `INSERT INTO metric_rollup_pending (project_id, resolution, bucket_ns)
     SELECT k.project_id, 60, k.bucket_ns FROM unnest($1::uuid[], $2::bigint[]) AS k(project_id, bucket_ns)
      ORDER BY 1, 3
     ON CONFLICT (project_id, resolution, bucket_ns) DO UPDATE SET bucket_ns = EXCLUDED.bucket_ns`,
    [sorted.map(([project]) => project), sorted.map(([, bucket]) => bucket.toString())],
  );
}

export type RollupResult = { minutes: number; hours: number };

const ROLLUP_COLUMNS = `points = EXCLUDED.points, value_sum = EXCLUDED.value_sum, value_min = EXCLUDED.value_min,
  value_max = EXCLUDED.value_max, value_last = EXCLUDED.value_last, last_ns = EXCLUDED.last_ns,
  count = EXCLUDED.count, sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max,
  bounds = EXCLUDED.bounds, counts = EXCLUDED.counts`;

/**
 * Recomputes the pending minutes (from raw points) and then the pending hours (from minutes) of
 * every project. A minute is rolled up once it has ended `settleNs` ago; one still receiving
 * points stays pending, and queries read its raw points meanwhile, so results are exact.
 */
export async function rollUpPending(
  pool: pg.Pool,
  options: { nowNs?: bigint; settleNs?: bigint; limit?: number } = {},
): Promise<RollupResult> {
  const nowNs = options.nowNs ?? BigInt(Date.now()) * 1_000_000n;
  const settleNs = options.settleNs ?? 5_000_000_000n;
  const limit = options.limit ?? 2000;
  const days = await pool.query<{ day: string }>(
    `SELECT DISTINCT bucket_ns / 86400000000000 AS day FROM metric_rollup_pending`,
  );
  await ensureDailyPartitions(
    pool,
    "metric_rollup",
    days.rows.map((row) => Number(row.day)),
  );
  const minutes = await rollUp(pool, {
    resolution: 60,
    sizeNs: MINUTE_NS,
    dueBefore: nowNs - settleNs,
    limit,
  });
  const hours = await rollUp(pool, {
    resolution: 3600,
    sizeNs: HOUR_NS,
    dueBefore: nowNs + HOUR_NS,
    limit,
  });
  return { minutes, hours };
}

async function rollUp(
  pool: pg.Pool,
  step: { resolution: 60 | 3600; sizeNs: bigint; dueBefore: bigint; limit: number },
): Promise<number> {
  return inTransaction(pool, async (client) => {
    // An hour waits while any of its minutes is pending: its minutes are not final yet.
    const due = await client.query<{ project_id: string; bucket_ns: string }>(
      `DELETE FROM metric_rollup_pending d
        WHERE (d.project_id, d.resolution, d.bucket_ns) IN (
          SELECT p.project_id, p.resolution, p.bucket_ns FROM metric_rollup_pending p
           WHERE p.resolution = $1 AND p.bucket_ns + $2::bigint <= $3::bigint
             AND ($1 = 60 OR NOT EXISTS (
               SELECT 1 FROM metric_rollup_pending m
                WHERE m.project_id = p.project_id AND m.resolution = 60
                  AND m.bucket_ns >= p.bucket_ns AND m.bucket_ns < p.bucket_ns + $2::bigint))
           ORDER BY p.project_id, p.bucket_ns
           LIMIT $4
           FOR UPDATE SKIP LOCKED)
        RETURNING d.project_id, d.bucket_ns`,
      [step.resolution, step.sizeNs.toString(), step.dueBefore.toString(), step.limit],
    );
    if (due.rows.length === 0) return 0;
    // A new statement, so a new snapshot: every writer whose mark we took has committed by now.
    const keys = [due.rows.map((row) => row.project_id), due.rows.map((row) => row.bucket_ns)];
    const source =
      step.resolution === 60
        ? `SELECT p.project_id, p.series_id, d.bucket_ns, 1 AS points, p.value AS value_sum,
                  p.value AS value_min, p.value AS value_max, p.value AS value_last, p.time_ns AS last_ns,
                  p.count, p.sum, p.min, p.max, p.bounds, p.counts
             FROM due d JOIN metric_point p ON p.project_id = d.project_id
                         AND p.time_ns >= d.bucket_ns AND p.time_ns < d.bucket_ns + ${MINUTE_NS}`
        : `SELECT r.project_id, r.series_id, d.bucket_ns, r.points, r.value_sum, r.value_min,
                  r.value_max, r.value_last, r.last_ns, r.count, r.sum, r.min, r.max, r.bounds, r.counts
             FROM due d JOIN metric_rollup r ON r.project_id = d.project_id AND r.resolution = 60
                         AND r.bucket_ns >= d.bucket_ns AND r.bucket_ns < d.bucket_ns + ${HOUR_NS}`;
    await client.query(
      `WITH due AS (SELECT * FROM unnest($1::uuid[], $2::bigint[]) AS d(project_id, bucket_ns)),
       src AS (${source}),
       merged AS (
         SELECT project_id, series_id, bucket_ns, array_agg(total ORDER BY idx) AS counts
           FROM (SELECT project_id, series_id, bucket_ns, u.idx, sum(u.c)::bigint AS total
                   FROM src, unnest(src.counts) WITH ORDINALITY AS u(c, idx) GROUP BY 1, 2, 3, 4) per_index
          GROUP BY 1, 2, 3
       ),
       agg AS (
         SELECT project_id, series_id, bucket_ns, sum(points)::int AS points, sum(value_sum) AS value_sum,
                min(value_min) AS value_min, max(value_max) AS value_max,
                (array_agg(value_last ORDER BY last_ns DESC))[1] AS value_last, max(last_ns) AS last_ns,
                sum(count)::bigint AS count, sum(sum) AS sum, min(min) AS min, max(max) AS max,
                max(bounds) AS bounds
           FROM src GROUP BY 1, 2, 3
       )
       INSERT INTO metric_rollup (project_id, resolution, series_id, bucket_ns, points, value_sum, value_min,
                                  value_max, value_last, last_ns, count, sum, min, max, bounds, counts)
       SELECT a.project_id, $3, a.series_id, a.bucket_ns, a.points, a.value_sum, a.value_min, a.value_max,
              a.value_last, a.last_ns, a.count, a.sum, a.min, a.max, a.bounds, m.counts
         FROM agg a LEFT JOIN merged m USING (project_id, series_id, bucket_ns)
       ON CONFLICT (project_id, resolution, series_id, bucket_ns) DO UPDATE SET ${ROLLUP_COLUMNS}`,
      [...keys, step.resolution],
    );
    if (step.resolution === 60) {
      await client.query(
        `INSERT INTO metric_rollup_pending (project_id, resolution, bucket_ns)
         SELECT DISTINCT k.project_id, 3600, k.bucket_ns - k.bucket_ns % ${HOUR_NS}
           FROM unnest($1::uuid[], $2::bigint[]) AS k(project_id, bucket_ns)
          ORDER BY 1, 3
         ON CONFLICT (project_id, resolution, bucket_ns) DO UPDATE SET bucket_ns = EXCLUDED.bucket_ns`,
        keys,
      );
    }
    return due.rows.length;
  });
}
