import type pg from "pg";
import { setLocal, withSettings } from "../statement-settings.ts";
import { inTransaction } from "../telemetry/write/staged-copy.ts";
import { shardServers } from "./catalog.ts";
import { onShard } from "./remote.ts";

/**
 * Where a background job's table-local work runs: the database itself, or each of its shards in
 * turn (through the coordinator, see remote.ts), so that packing and similar work reads and
 * writes rows where they live instead of pulling them to the coordinator.
 */
export type Place = {
  /** This place's shard number and the number of shards (0 of 1 without shards). */
  shard: number;
  shards: number;
  /** The table holding series metadata, as seen from here. */
  seriesTable: string;
  /** A query's rows; `columns` types them (needed on a shard). */
  rows<Row extends pg.QueryResultRow>(
    sql: string,
    params: unknown[],
    columns: string,
  ): Promise<Row[]>;
  /** Runs `sql` in a transaction of its own with `workMem`; returns its row count. */
  write(sql: string, params: unknown[], workMem?: string): Promise<number>;
};

/** The places a job's work runs for the database behind `pool`. */
export async function placesOf(pool: pg.Pool): Promise<Place[]> {
  const servers = await shardServers(pool);
  if (servers.length === 0) return [local(pool)];
  return servers.map((server, shard) => ({
    shard,
    shards: servers.length,
    seriesTable: "coordinator_series",
    rows: (sql, params, columns) => onShard(pool, server, sql, params, columns),
    write: (sql, params, workMem) =>
      onShard(pool, server, withSettings(workMem ? { work_mem: workMem } : {}, sql), params),
  }));
}

function local(pool: pg.Pool): Place {
  return {
    shard: 0,
    shards: 1,
    seriesTable: "metric_series",
    rows: async (sql, params) => (await pool.query(sql, params)).rows,
    write: (sql, params, workMem) =>
      inTransaction(pool, async (client) => {
        await setLocal(client, workMem ? { work_mem: workMem } : {});
        return (await client.query(sql, params)).rowCount ?? 0;
      }),
  };
}
