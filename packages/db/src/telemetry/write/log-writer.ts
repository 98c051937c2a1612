import type pg from "pg";
import { LOG_COLUMNS, type LogRow, logLine } from "./log-rows.ts";
import {
  copyIdempotently,
  ensurePartitionsFor,
  inTransaction,
  type StagedTable,
} from "./staged-copy.ts";

const logTable: StagedTable<LogRow> = {
  table: "log_record",
  columns: LOG_COLUMNS,
  line: logLine,
  timeOf: (row) => row.timeNs,
};

/** Stores log records in one transaction; a record sent twice is stored once. Returns how many were new. */
export async function writeLogs(pool: pg.Pool, rows: LogRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await ensurePartitionsFor(pool, logTable, rows);
  return inTransaction(pool, (client) => copyIdempotently(client, logTable, rows));
}
