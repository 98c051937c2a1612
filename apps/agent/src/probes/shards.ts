import type { BatchObservableResult } from "@opentelemetry/api";
import { addProbe, type Probe, withinTime } from "./attach.ts";
import { num, type Queryable } from "./postgres.ts";

/** A shard's size as the app measures it, for stores that are not PostgreSQL. */
export type ShardSize = () => Promise<{ rows?: number; bytes?: number }>;

export type ShardProbeOptions = {
  /** Shards by id: a PostgreSQL pool, or a function that measures the shard. */
  shards: Record<string, Queryable | ShardSize>;
  /** `vigil.shard.store`, to tell sharded stores apart (default "default"). */
  store?: string;
  /** For pools: the sharded tables (default every user table). */
  tables?: string[];
};

// Live rows from the statistics collector (no table scan) and on-disk bytes with indexes and TOAST.
const SIZE_SQL = `
SELECT coalesce(sum(n_live_tup), 0)::float8 AS rows,
       coalesce(sum(pg_total_relation_size(relid)), 0)::float8 AS bytes
  FROM pg_stat_user_tables
 WHERE $1::text[] IS NULL OR relname = ANY($1::text[])`;

/**
 * Shard balance: `vigil.shard.rows` and `vigil.shard.bytes` per `vigil.shard.id`, measured when
 * metrics are collected. Request rates come from `vigil.shard.request(id)` where the app routes.
 */
export function probeShards(options: ShardProbeOptions): Probe {
  const store = options.store ?? "default";
  const tables = options.tables ?? null;
  const measure = async (shard: Queryable | ShardSize) => {
    if (typeof shard === "function") return shard();
    const row = (await shard.query(SIZE_SQL, [tables])).rows[0];
    return { rows: num(row?.rows), bytes: num(row?.bytes) };
  };

  return addProbe((meter) => {
    const rows = meter.createObservableGauge("vigil.shard.rows", { unit: "1" });
    const bytes = meter.createObservableGauge("vigil.shard.bytes", { unit: "By" });
    const observe = async (result: BatchObservableResult) => {
      await Promise.all(
        Object.entries(options.shards).map(async ([id, shard]) => {
          const size = await withinTime(measure(shard));
          const attributes = { "vigil.shard.id": id, "vigil.shard.store": store };
          if (size?.rows !== undefined) result.observe(rows, size.rows, attributes);
          if (size?.bytes !== undefined) result.observe(bytes, size.bytes, attributes);
        }),
      );
    };
    meter.addBatchObservableCallback(observe, [rows, bytes]);
    return () => meter.removeBatchObservableCallback(observe, [rows, bytes]);
  });
}
