import type pg from "pg";
import { shardCount } from "../../shards/catalog.ts";
import { onShard } from "../../shards/remote.ts";
import { SHARDED_TABLES, shardServer } from "../../shards/tables.ts";

export const NS_PER_DAY = 86_400_000_000_000n;

/** The day (since the Unix epoch) a nanosecond timestamp falls in. */
export function dayOf(ns: bigint): number {
  return Number(ns / NS_PER_DAY);
}

export function partitionName(table: string, day: number): string {
  const date = new Date(day * 86_400_000).toISOString().slice(0, 10).replaceAll("-", "");
  return `${table}_d${date}`;
}

/**
 * Whether every day of `table` in [fromNs, toNs) is spread over the shards: days made before the
 * shards were attached keep their rows on the coordinator, where only the coordinator reads them.
 */
export async function shardedThrough(
  client: Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">,
  table: string,
  fromNs: bigint,
  toNs: bigint,
): Promise<boolean> {
  const days: string[] = [];
  for (let day = dayOf(fromNs); day <= dayOf(toNs - 1n); day++)
    days.push(partitionName(table, day));
  // A day with no partition has no rows anywhere; a plain table is a day kept on the coordinator.
  const local = await client.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM pg_class WHERE relname = ANY($1::text[]) AND relkind = 'r'",
    [days],
  );
  return local.rows[0]?.n === 0;
}

// Partitions this process has already made sure of, so the hot path asks PostgreSQL once a day.
const known = new Set<string>();

/**
 * Makes sure `table` (partitioned by a Unix-nanosecond column) has a partition for each day.
 * Idempotent and safe across replicas (CREATE … IF NOT EXISTS; a concurrent create is ignored).
 * On a database with shards, a sharded table's day is made on every shard first, then on the
 * coordinator as a partition of foreign tables, one a shard, in one statement.
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
    const range = `FOR VALUES FROM (${from}) TO (${from + NS_PER_DAY})`;
    const sharding = SHARDED_TABLES[table];
    const shards = sharding ? await shardCount(client) : 0;
    let create = `CREATE TABLE IF NOT EXISTS "${name}" PARTITION OF "${table}" ${range}`;
    if (sharding && shards > 0) {
      for (let shard = 0; shard < shards; shard++) {
        await onShard(client, shardServer(shard), create, []).catch(ignoreConcurrentCreate);
      }
      const parts = Array.from(
        { length: shards },
        (_, shard) =>
          `CREATE FOREIGN TABLE IF NOT EXISTS "${name}_s${shard}" PARTITION OF "${name}" FOR VALUES ${sharding.bound(shards, shard)} SERVER ${shardServer(shard)} OPTIONS (table_name '${name}');`,
      );
      create = `DO $$ BEGIN ${create} PARTITION BY ${sharding.partitionBy(shards)}; ${parts.join(" ")} END $$`;
    }
    await client.query(create).catch(ignoreConcurrentCreate);
    known.add(name);
  }
}

/** 42P07: created by another writer between our check and our create. */
function ignoreConcurrentCreate(error: { code?: string }): void {
  if (error.code !== "42P07") throw error;
}

/**
 * Drops the daily partitions of `table` that end on or before `beforeDay` (on the shards too, for
 * a sharded table); returns their names.
 */
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
  const shards = SHARDED_TABLES[table] ? await shardCount(pool) : 0;
  const dropped: string[] = [];
  for (const { name } of result.rows) {
    if (name < partitionName(table, beforeDay)) {
      // Shards first: a failed drop there leaves the coordinator's partition, retried next run.
      for (let shard = 0; shard < shards; shard++) {
        await onShard(pool, shardServer(shard), `DROP TABLE IF EXISTS "${name}"`, []);
      }
      await pool.query(`DROP TABLE IF EXISTS "${name}"`);
      known.delete(name);
      dropped.push(name);
    }
  }
  return dropped;
}
