import type pg from "pg";
import { markRollupsPending } from "../rollup/rollups.ts";
import { METRIC_POINT_COLUMNS, type MetricPointRow, metricPointLine } from "./metric-rows.ts";
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

/**
 * Stores metric points as they were sent, with the minutes they fall in marked for the rollup
 * job, in one transaction: a COPY and one small upsert, whatever the batch holds. A point sent
 * again (same series and time) is stored once. Returns how many points were new.
 */
export async function writeMetricPoints(pool: pg.Pool, rows: MetricPointRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await ensurePartitionsFor(pool, pointTable, rows);
  return inTransaction(pool, async (client) => {
    const inserted = await copyIdempotently(client, pointTable, rows);
    await markRollupsPending(client, rows);
    return inserted;
  });
}
