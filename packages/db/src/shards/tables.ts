/**
 * The telemetry tables spread over shards, and how a row finds its shard. Spans go by trace id
 * (a trace stays on one shard), points and their packed hours by series id (one project spreads
 * over every shard). Packed spans are packed on the shard that holds them (see span-compaction),
 * and carry their shard in `seq % shards`. Every one of these keys is in its table's primary key
 * on the shards, so uniqueness still holds where the rows live.
 */
type Sharding = {
  /** The PARTITION BY clause of a day's partition on the coordinator. */
  partitionBy(shards: number): string;
  /** The FOR VALUES clause of shard `shard`'s foreign table in it. */
  bound(shards: number, shard: number): string;
};

export const SHARDED_TABLES: Readonly<Record<string, Sharding>> = {
  span: byHash("trace_id"),
  metric_point: byHash("series_id"),
  metric_chunk: byHash("series_id"),
  span_chunk: {
    partitionBy: (shards) => `LIST ((seq % ${shards}))`,
    bound: (_shards, shard) => `IN (${shard})`,
  },
};

function byHash(column: string): Sharding {
  return {
    partitionBy: () => `HASH (${column})`,
    bound: (shards: number, shard: number) => `WITH (MODULUS ${shards}, REMAINDER ${shard})`,
  };
}

/** The foreign server (on the coordinator) for shard `index`. */
export function shardServer(index: number): string {
  return `vigil_shard_${index}`;
}

/**
 * SQL for the shard holding trace `uuid` among `shards`: PostgreSQL's own hash partitioning of a
 * uuid column (the type's extended hash with the partitioning seed, combined with zero, modulo
 * the shards, unsigned). Lets a reader of packed spans, which carry their shard in `seq`, go to
 * the one shard the trace's rows went to; shards.int.test.ts checks it against where rows land.
 */
export function shardOfTraceSql(uuid: string, shards: number): string {
  const seed = "8816678312871386365"; // 0x7A5B22367996DCFD
  const combine = "5305509591434766563"; // 0x49a0f4dd15e5a8e3
  const wrap = "18446744073709551616"; // 2^64
  return `((uuid_hash_extended(${uuid}, ${seed})::numeric + ${wrap} + ${combine}) % ${wrap} % ${shards})::int`;
}
