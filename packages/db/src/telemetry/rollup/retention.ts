import type pg from "pg";
import { dropPartitionsBefore, ensureDailyPartitions, NS_PER_DAY } from "./partitions.ts";

export const DEFAULT_RETENTION_DAYS = 7;

const tables = [
  { signal: "traces", table: "span", time: "start_ns" },
  { signal: "traces", table: "span_chunk", time: "window_ns" },
  { signal: "metrics", table: "metric_point", time: "time_ns" },
  { signal: "metrics", table: "metric_chunk", time: "window_ns" },
  { signal: "metrics", table: "metric_rollup", time: "bucket_ns" },
  { signal: "metrics", table: "metric_service_rollup", time: "bucket_ns" },
  { signal: "logs", table: "log_record", time: "time_ns" },
] as const;

export type RetentionResult = { droppedPartitions: string[]; deletedRows: number };

/**
 * Applies retention: daily partitions are shared by all projects, so a partition is dropped once
 * it is older than the longest retention any project has for its signal; projects that keep less
 * have their older rows deleted.
 */
export async function applyRetention(pool: pg.Pool, nowMs = Date.now()): Promise<RetentionResult> {
  const nowNs = BigInt(nowMs) * 1_000_000n;
  const result: RetentionResult = { droppedPartitions: [], deletedRows: 0 };
  for (const { signal, table, time } of tables) {
    const policies = await pool.query<{ project_id: string; days: number }>(
      `SELECT p.id AS project_id, coalesce(r.days, $2) AS days
         FROM project p LEFT JOIN retention_policy r ON r.project_id = p.id AND r.signal = $1`,
      [signal, DEFAULT_RETENTION_DAYS],
    );
    const longest = Math.max(DEFAULT_RETENTION_DAYS, ...policies.rows.map((row) => row.days));
    const keepFromDay = Number((nowNs - BigInt(longest) * NS_PER_DAY) / NS_PER_DAY);
    result.droppedPartitions.push(...(await dropPartitionsBefore(pool, table, keepFromDay)));
    for (const policy of policies.rows.filter((row) => row.days < longest)) {
      const cutoff = nowNs - BigInt(policy.days) * NS_PER_DAY;
      const deleted = await pool.query(
        `DELETE FROM ${table} WHERE project_id = $1 AND ${time} < $2`,
        [policy.project_id, cutoff.toString()],
      );
      result.deletedRows += deleted.rowCount ?? 0;
    }
  }
  return result;
}

/** Creates today's and the next `days` days' partitions of every telemetry table ahead of time. */
export async function createPartitionsAhead(
  pool: pg.Pool,
  nowMs = Date.now(),
  days = 2,
): Promise<void> {
  const today = Math.floor(nowMs / 86_400_000);
  for (const { table } of tables) {
    await ensureDailyPartitions(
      pool,
      table,
      Array.from({ length: days + 1 }, (_, i) => today + i),
    );
  }
}
