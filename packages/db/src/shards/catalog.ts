import type pg from "pg";
import { shardServer } from "./tables.ts";

type Queryable = Pick<pg.Pool, "query"> | Pick<pg.PoolClient, "query">;

const counted = new WeakMap<object, Promise<number>>();

/**
 * How many shards the database behind `client` spreads telemetry over (0: none, it holds all of
 * it). Read from its own catalog (the shards' foreign servers), so every replica agrees without
 * configuration; remembered per pool, since shards are attached before a pool serves.
 */
export function shardCount(client: Queryable): Promise<number> {
  let count = counted.get(client);
  if (!count) {
    count = client
      .query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_foreign_server WHERE srvname ~ '^vigil_shard_[0-9]+$'",
      )
      .then((result) => result.rows[0]?.n ?? 0);
    counted.set(client, count);
    count.catch(() => counted.delete(client));
  }
  return count;
}

/** The shards' server names, in order. */
export async function shardServers(client: Queryable): Promise<string[]> {
  return Array.from({ length: await shardCount(client) }, (_, i) => shardServer(i));
}
