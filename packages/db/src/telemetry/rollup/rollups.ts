import { httpMetrics } from "@vigil/otel";
import type pg from "pg";
import { shardServers } from "../../shards/catalog.ts";
import { remoteRows } from "../../shards/remote.ts";
import { setLocal } from "../../statement-settings.ts";
import { projectPoints } from "../read/increases.ts";
import { literal } from "../sql-literal.ts";
import type { MetricPointRow } from "../write/metric-rows.ts";
import { inTransaction } from "../write/staged-copy.ts";
import { ensureDailyPartitions, shardedThrough } from "./partitions.ts";

export const MINUTE_NS = 60_000_000_000n;
export const HOUR_NS = 3_600_000_000_000n;
/** Sort and hash memory of the rollup job's transaction (one job, on the leader). */
const ROLLUP_WORK_MEM = "64MB";
/** A minute rolled up this long after it ended was rolled up late (see metric_rollup_revision). */
export const LATE_NS = 2n * MINUTE_NS;

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
  // Points of one export share their minute: a point in the minute just marked costs two compares.
  let project = "";
  let from = 0n;
  let to = 0n;
  for (const point of points) {
    if (point.projectId === project && point.timeNs >= from && point.timeNs < to) continue;
    const bucket = point.timeNs - (point.timeNs % MINUTE_NS);
    keys.set(`${point.projectId}/${bucket}`, [point.projectId, bucket]);
    project = point.projectId;
    from = bucket;
    to = bucket + MINUTE_NS;
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
  for (const table of ["metric_rollup", "metric_service_rollup"]) {
    await ensureDailyPartitions(
      pool,
      table,
      days.rows.map((row) => Number(row.day)),
    );
  }
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

type Run = { projectId: string; fromNs: bigint; toNs: bigint };

/** Due buckets as runs of adjacent buckets per project. */
export function contiguousRuns(
  due: { project_id: string; bucket_ns: string }[],
  sizeNs: bigint,
): Run[] {
  const runs: Run[] = [];
  const sorted = due
    .map((row) => ({ projectId: row.project_id, bucket: BigInt(row.bucket_ns) }))
    .sort((a, b) =>
      a.projectId === b.projectId
        ? a.bucket < b.bucket
          ? -1
          : a.bucket > b.bucket
            ? 1
            : 0
        : a.projectId < b.projectId
          ? -1
          : 1,
    );
  for (const { projectId, bucket } of sorted) {
    const last = runs.at(-1);
    if (last && last.projectId === projectId && last.toNs === bucket) last.toNs = bucket + sizeNs;
    else runs.push({ projectId, fromNs: bucket, toNs: bucket + sizeNs });
  }
  return runs;
}

// How each column of a rollup row merges the rows below it.
const MERGE = {
  points: "sum(points)::int",
  value_sum: "sum(value_sum)",
  value_min: "min(value_min)",
  value_max: "max(value_max)",
  value_last: "(array_agg(value_last ORDER BY last_ns DESC))[1]",
  last_ns: "max(last_ns)",
  count: "sum(count)::bigint",
  errors: "sum(errors)::bigint",
  sum: "sum(sum)",
  min: "min(min)",
  max: "max(max)",
  bounds: "max(bounds)",
} as const;
type Column = keyof typeof MERGE;
const SERIES_COLUMNS: Column[] = [
  "points",
  "value_sum",
  "value_min",
  "value_max",
  "value_last",
  "last_ns",
  "count",
  "sum",
  "min",
  "max",
  "bounds",
];
const SERVICE_COLUMNS: Column[] = [
  "points",
  "value_sum",
  "value_min",
  "value_max",
  "count",
  "errors",
  "sum",
  "min",
  "max",
  "bounds",
];

type Merge = {
  source: string;
  table: "metric_rollup" | "metric_service_rollup";
  keys: string[];
  columns: Column[];
  fixed?: Record<string, string>;
  /** Keep the first point of each merged row (series rollups: what PromQL's rate reads). */
  first?: boolean;
};

/** A series rollup row's first point: its time and increase (see the migration that adds them). */
const FIRST_COLUMNS = ["first_ns", "first_value", "first_count", "first_sum", "first_counts"];

/**
 * The one merge every rollup level does: the rows of `source` (in [$2, $3) of project $1) grouped
 * by `keys`, their columns merged and their histogram buckets summed index by index, as rows of
 * `table` at resolution $4 (all its columns, in upsertInto's order). `fixed` are key columns
 * with one value for every row.
 */
function mergeSelect(m: Merge): string {
  const keys = m.keys.join(", ");
  const fixed = Object.values(m.fixed ?? {});
  // Each row's first point (a sort of the points by time within each row's group).
  const first = m.first
    ? {
        cte: `, firsts AS (
       SELECT DISTINCT ON (${keys}) ${keys}, ${FIRST_COLUMNS.join(", ")}
         FROM src ORDER BY ${keys}, first_ns
     )`,
        columns: `, ${FIRST_COLUMNS.map((column) => `f.${column}`).join(", ")}`,
        join: ` LEFT JOIN firsts f USING (${keys})`,
      }
    : { cte: "", columns: "", join: "" };
  return `WITH src AS (${m.source}),
     merged AS (
       SELECT ${keys}, array_agg(total ORDER BY idx) AS counts
         FROM (SELECT ${keys}, u.idx, sum(u.c)::bigint AS total
                 FROM src, unnest(src.counts) WITH ORDINALITY AS u(c, idx) GROUP BY ${keys}, u.idx) per_index
        GROUP BY ${keys}
     ),
     agg AS (
       SELECT ${keys}, ${m.columns.map((column) => `${MERGE[column]} AS ${column}`).join(", ")}
         FROM src GROUP BY ${keys}
     )${first.cte}
     SELECT $1::uuid, $4::int, ${[...fixed, ...m.keys.map((key) => `a.${key}`)].join(", ")},
            ${m.columns.map((column) => `a.${column}`).join(", ")}, m.counts${first.columns}
       FROM agg a LEFT JOIN merged m USING (${keys})${first.join}`;
}

/** `INSERT … ${rows} ON CONFLICT … DO UPDATE` of merged rows into the merge's table. */
function upsertInto(m: Merge, rows: string): string {
  const targetKeys = [...Object.keys(m.fixed ?? {}), ...m.keys];
  const columns = [...m.columns, "counts", ...(m.first ? FIRST_COLUMNS : [])];
  return `INSERT INTO ${m.table} (project_id, resolution, ${targetKeys.join(", ")}, ${columns.join(", ")})
     ${rows}
     ON CONFLICT (project_id, resolution, ${targetKeys.join(", ")}) DO UPDATE SET
       ${columns.map((column) => `${column} = EXCLUDED.${column}`).join(", ")}`;
}

const mergeSql = (m: Merge) => upsertInto(m, mergeSelect(m));

/** The minute rollups' source: raw points of [$2, $3) per series and minute. */
const minutePoints = (seriesTable?: string) =>
  `SELECT p.series_id, p.time_ns - p.time_ns % ${MINUTE_NS} AS bucket_ns, 1 AS points, p.value AS value_sum,
          p.value AS value_min, p.value AS value_max, p.value AS value_last, p.time_ns AS last_ns,
          p.count, p.sum, p.min, p.max, p.bounds, p.counts, p.time_ns AS first_ns,
          p.value AS first_value, p.count AS first_count, p.sum AS first_sum, p.counts AS first_counts
     FROM ${projectPoints({ project: "$1", lo: "$2", hi: "$3", seriesTable })} p`;

const seriesMerge = (source: string): Merge => ({
  source,
  table: "metric_rollup",
  keys: ["series_id", "bucket_ns"],
  columns: SERIES_COLUMNS,
  first: true,
});

/** Recomputes the series rollups of [$2, $3) at resolution $4 from the level below. */
function recomputeSql(resolution: 60 | 3600, sizeNs: bigint): string {
  return mergeSql(
    seriesMerge(
      resolution === 60
        ? minutePoints()
        : `SELECT r.series_id, r.bucket_ns - r.bucket_ns % ${sizeNs} AS bucket_ns, r.points, r.value_sum,
                r.value_min, r.value_max, r.value_last, r.last_ns, r.count, r.sum, r.min, r.max, r.bounds, r.counts,
                r.first_ns, r.first_value, r.first_count, r.first_sum, r.first_counts
           FROM metric_rollup r
          WHERE r.project_id = $1 AND r.resolution = 60 AND r.bucket_ns >= $2 AND r.bucket_ns < $3`,
    ),
  );
}

// With shards, a series' points all live on one shard, so its minutes are merged whole there
// and only the merged rows (one a series and minute) cross to the coordinator's rollup table.
// PostgreSQL pushes no partial aggregates through postgres_fdw; this is that, by hand, over
// dblink. The shard reads series metadata from the coordinator (coordinator_series).
const SHARD_MINUTES = mergeSelect(seriesMerge(minutePoints("coordinator_series")));
const ROLLUP_ROW = `project_id uuid, resolution int, series_id bigint, bucket_ns bigint, points int,
  value_sum float8, value_min float8, value_max float8, value_last float8, last_ns bigint, count bigint,
  sum float8, min float8, max float8, bounds float8[], counts bigint[], first_ns bigint,
  first_value float8, first_count bigint, first_sum float8, first_counts bigint[]`;

/** Recomputes the minutes of [$2, $3) on each shard; false when a day of it is not sharded. */
async function recomputeOnShards(
  client: pg.PoolClient,
  servers: string[],
  run: Run,
  params: unknown[],
): Promise<boolean> {
  if (servers.length === 0) return false;
  if (!(await shardedThrough(client, "metric_point", run.fromNs, run.toNs))) return false;
  for (const server of servers) {
    const remote = remoteRows(server, SHARD_MINUTES, params, ROLLUP_ROW);
    await client.query(upsertInto(seriesMerge(""), `SELECT * FROM ${remote.from}`), remote.values);
  }
  return true;
}

/** SQL that is true for a series (alias `ms`) whose observations are failed requests. */
export const ERROR_SERIES = `coalesce(ms.attributes->>${literal(httpMetrics.statusAttribute)} ~ '^5[0-9][0-9]$', false)`;

/** Merges the series rollups of [$2, $3) at resolution $4 into one row per service and metric. */
const SERVICE_ROLLUP_SQL = mergeSql({
  source: `SELECT ms.service_id, ms.name, r.bucket_ns, r.points, r.value_sum, r.value_min, r.value_max, r.count,
                  CASE WHEN ${ERROR_SERIES} THEN r.count END AS errors, r.sum, r.min, r.max, r.bounds, r.counts
             FROM metric_rollup r JOIN metric_series ms ON ms.project_id = r.project_id AND ms.id = r.series_id
            WHERE r.project_id = $1 AND r.resolution = $4 AND r.bucket_ns >= $2 AND r.bucket_ns < $3`,
  table: "metric_service_rollup",
  keys: ["service_id", "name", "bucket_ns"],
  columns: SERVICE_COLUMNS,
});

/** Merges the service rollups of [$2, $3) at resolution $4 into service 0: all services together. */
const ALL_SERVICES_ROLLUP_SQL = mergeSql({
  source: `SELECT r.* FROM metric_service_rollup r
            WHERE r.project_id = $1 AND r.resolution = $4 AND r.service_id <> 0
              AND r.bucket_ns >= $2 AND r.bucket_ns < $3`,
  table: "metric_service_rollup",
  keys: ["name", "bucket_ns"],
  columns: SERVICE_COLUMNS,
  fixed: { service_id: "0" },
});

async function rollUp(
  pool: pg.Pool,
  step: { resolution: 60 | 3600; sizeNs: bigint; dueBefore: bigint; limit: number },
): Promise<number> {
  const servers = step.resolution === 60 ? await shardServers(pool) : [];
  return inTransaction(pool, async (client) => {
    // A run's points are grouped and sorted (each minute's first point) in memory, not on disk.
    await setLocal(client, { work_mem: ROLLUP_WORK_MEM });
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
    // New statements, so new snapshots: every writer whose mark we took has committed by now.
    // Each run of adjacent buckets is one range scan (BRIN on time), not a probe per bucket.
    for (const run of contiguousRuns(due.rows, step.sizeNs)) {
      const params = [run.projectId, run.fromNs.toString(), run.toNs.toString(), step.resolution];
      if (!(await recomputeOnShards(client, servers, run, params)))
        await client.query(recomputeSql(step.resolution, step.sizeNs), params);
      await client.query(SERVICE_ROLLUP_SQL, params);
      await client.query(ALL_SERVICES_ROLLUP_SQL, params);
    }
    const keys = [due.rows.map((row) => row.project_id), due.rows.map((row) => row.bucket_ns)];
    if (step.resolution === 60) {
      // Minutes that ended well before now were rolled up before, or late: results cached
      // over them are stale (see metric_rollup_revision).
      await client.query(
        `INSERT INTO metric_rollup_revision (project_id, late_minutes)
         SELECT k.project_id, count(*) FROM unnest($1::uuid[], $2::bigint[]) AS k(project_id, bucket_ns)
          WHERE k.bucket_ns + ${MINUTE_NS} < $3::bigint GROUP BY 1 ORDER BY 1
         ON CONFLICT (project_id) DO UPDATE
           SET late_minutes = metric_rollup_revision.late_minutes + EXCLUDED.late_minutes`,
        [...keys, (step.dueBefore - LATE_NS).toString()],
      );
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
