import type pg from "pg";

export const NS_PER_DAY = 86_400_000_000_000n;

/** The day (since the Unix epoch) a nanosecond timestamp falls in. */
export function dayOf(ns: bigint): number {
  return Number(ns / NS_PER_DAY);
}

function partitionName(table: string, day: number): string {
  const date = new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
  return `${table}_d${date}`;
}

// Partitions this process has already made sure of, so the hot path asks PostgreSQL once a day.
const known = new Set<string>();

/**
 * Makes sure `table` (partitioned by a Unix-nanosecond column) has a partition for each day.
 * Idempotent and safe across replicas (CREATE … IF NOT EXISTS; a concurrent create is ignored).
 */
export async function ensureDailyPartitions(
  client: pg.PoolClient | pg.Pool,
  table: string,
  days: Iterable<number>,
): Promise<void> {
  for (const day of new Set(days)) {
    const name = partitionName(table, day);
    if (known.has(name)) continue;
    const from = BigInt(day) * NS_PER_DAY;
    await client
      .query(
        `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" FOR VALUES FROM (${from}) TO (${from + NS_PER_DAY})`,
      )
      .catch((error: { code?: string }) => {
        // 42P07: created by another writer between our check and our create.
        if (error.code !== "42P07") throw error;
      });
    known.add(name);
  }
}

/** Drops the daily partitions of `table` that end on or before `beforeDay`; returns their names. */
export async function dropPartitionsBefore(
  pool: pg.Pool,
  table: string,
  beforeDay: number,
): Promise<string[]> {
  const result = await pool.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = $1 AND c.relname ~ '_d[0-9]{8}$'`,
    [table],
  );
  const dropped: string[] = [];
  for (const { name } of result.rows) {
    if (name < partitionName(table, beforeDay)) {
      await pool.query(`DROP TABLE IF EXISTS "${name}"`);
      known.delete(name);
      dropped.push(name);
    }
  }
  return dropped;
}
