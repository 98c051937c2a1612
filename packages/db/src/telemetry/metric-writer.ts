import type pg from "pg";
import { type CumulativeState, toDelta } from "./cumulative.ts";
import { METRIC_POINT_COLUMNS, type MetricPointRow, metricPointLine } from "./metric-rows.ts";
import { markRollupsPending } from "./rollup-job.ts";
import {
  copyIdempotently,
  ensurePartitionsFor,
  inTransaction,
  type StagedTable,
} from "./staged-copy.ts";

const pointTable: StagedTable<MetricPointRow> = {
  table: "metric_point",
  columns: METRIC_POINT_COLUMNS,
  line: metricPointLine,
  timeOf: (row) => row.timeNs,
};
type StateRow = {
  project_id: string;
  series_id: string;
  start_ns: string;
  time_ns: string;
  value: number | null;
  count: string | null;
  sum: number | null;
  bounds: number[] | null;
  counts: string[] | null;
  exp: CumulativeState["exp"];
};

/**
 * Stores metric points in one transaction. Cumulative points become increases against the last
 * point of their series, whose state rows are locked for the transaction so two writers cannot
 * count the same increase twice. Returns how many points were new.
 */
export async function writeMetricPoints(pool: pg.Pool, rows: MetricPointRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await ensurePartitionsFor(pool, pointTable, rows);
  return inTransaction(pool, async (client) => {
    const points = await convertCumulative(client, rows);
    if (points.length === 0) return 0;
    const inserted = await copyIdempotently(client, pointTable, points);
    await markRollupsPending(client, points);
    return inserted;
  });
}

async function convertCumulative(
  client: pg.PoolClient,
  rows: MetricPointRow[],
): Promise<MetricPointRow[]> {
  const cumulative = rows.filter((row) => row.cumulative);
  if (cumulative.length === 0) return rows;
  const keyOf = (projectId: string, seriesId: bigint | string) => `${projectId}/${seriesId}`;
  const keys = [
    ...new Map(cumulative.map((row) => [keyOf(row.projectId, row.seriesId), row])).values(),
  ];
  const keyArrays = [keys.map((row) => row.projectId), keys.map((row) => row.seriesId.toString())];
  // A series seen for the first time has no state row to lock, so two writers bringing its first
  // points would both count them whole. An empty state row (time_ns -1) is inserted first: the
  // second writer waits on it until the first commits, then reads the first one's state.
  await client.query(
    `INSERT INTO metric_cumulative (project_id, series_id, start_ns, time_ns)
     SELECT k.project_id, k.series_id, -1, -1 FROM unnest($1::uuid[], $2::bigint[]) AS k(project_id, series_id)
      ORDER BY 1, 2
     ON CONFLICT (project_id, series_id) DO NOTHING`,
    keyArrays,
  );
  const found = await client.query<StateRow>(
    `SELECT s.* FROM metric_cumulative s
       JOIN unnest($1::uuid[], $2::bigint[]) AS k(project_id, series_id) USING (project_id, series_id)
     ORDER BY s.project_id, s.series_id
     FOR UPDATE OF s`,
    keyArrays,
  );
  const states = new Map<string, CumulativeState>(
    found.rows
      .filter((row) => BigInt(row.time_ns) >= 0n)
      .map((row) => [
        keyOf(row.project_id, row.series_id),
        {
          startNs: BigInt(row.start_ns),
          timeNs: BigInt(row.time_ns),
          value: row.value,
          count: row.count === null ? null : Number(row.count),
          sum: row.sum,
          bounds: row.bounds,
          counts: row.counts?.map(Number) ?? null,
          exp: row.exp,
        },
      ]),
  );
  const changed = new Set<string>();
  const out = rows.filter((row) => !row.cumulative);
  for (const row of [...cumulative].sort((a, b) =>
    a.timeNs < b.timeNs ? -1 : a.timeNs > b.timeNs ? 1 : 0,
  )) {
    const key = keyOf(row.projectId, row.seriesId);
    const { delta, state } = toDelta(states.get(key), row);
    if (!delta) continue;
    out.push(delta);
    states.set(key, state);
    changed.add(key);
  }
  const updates = [...changed].map((key) => {
    const [projectId, seriesId] = key.split("/");
    const state = states.get(key) as CumulativeState;
    return {
      project_id: projectId,
      series_id: seriesId,
      start_ns: state.startNs.toString(),
      time_ns: state.timeNs.toString(),
      value: state.value,
      count: state.count,
      sum: state.sum,
      bounds: state.bounds,
      counts: state.counts,
      exp: state.exp,
    };
  });
  if (updates.length > 0) {
    await client.query(
      `INSERT INTO metric_cumulative
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS s(project_id uuid, series_id bigint, start_ns bigint, time_ns bigint,
         value double precision, count bigint, sum double precision, bounds double precision[], counts bigint[], exp jsonb)
       ON CONFLICT (project_id, series_id) DO UPDATE SET start_ns = EXCLUDED.start_ns, time_ns = EXCLUDED.time_ns,
         value = EXCLUDED.value, count = EXCLUDED.count, sum = EXCLUDED.sum, bounds = EXCLUDED.bounds,
         counts = EXCLUDED.counts, exp = EXCLUDED.exp`,
      [JSON.stringify(updates)],
    );
  }
  return out;
}
