import type pg from "pg";
import { SPAN_ARRAYS } from "../telemetry/read/span-source.ts";
import { shardServer } from "./tables.ts";

// Packed spans read through a shard's foreign chunks would cross the network whole: a trace by
// id or an attribute search would ship every array of every chunk it touches (in text, as
// postgres_fdw does) to use a few elements. Each shard therefore offers its chunks unpacked, one
// row per span (`span_chunk_spans`), and the coordinator reads that view through one foreign
// table per shard, so filters on spans run where the chunks are (see spanSource).

/** The chunk's own columns the view keeps beside each span (chunk filters read them). */
const CHUNK_COLUMNS = [
  "project_id",
  "window_ns",
  "seq",
  "services",
  "search_keys",
  "search_hashes",
];

/** Creates the shard's view of its chunks, one row per span (again, as the schema may change). */
export async function defineShardChunkSpans(shard: pg.Client): Promise<void> {
  const chunk = CHUNK_COLUMNS.map((column) => `c.${column}`).join(", ");
  const arrays = SPAN_ARRAYS.map((array) => `c.${array}`).join(", ");
  await shard.query("BEGIN");
  try {
    await shard.query("DROP VIEW IF EXISTS span_chunk_spans");
    await shard.query(`
      CREATE VIEW span_chunk_spans AS
        SELECT ${chunk}, c.trace_ids AS chunk_trace_ids, u.*
          FROM span_chunk c
         CROSS JOIN LATERAL unnest(${arrays}) AS u(${SPAN_ARRAYS.join(", ")})`);
    await shard.query("COMMIT");
  } catch (error) {
    await shard.query("ROLLBACK");
    throw error;
  }
}

/**
 * Creates the coordinator's `span_chunk_spans`: list-partitioned like span_chunk (by seq modulo
 * the number of shards), each partition a foreign table over one shard's view, with the view's
 * columns as `shard` reports them.
 */
export async function defineChunkSpans(
  coordinator: pg.Client,
  shard: pg.Client,
  shards: number,
): Promise<void> {
  const { rows } = await shard.query<{ column: string }>(
    `SELECT format('%I %s', attname, format_type(atttypid, atttypmod)) AS column
       FROM pg_attribute WHERE attrelid = 'span_chunk_spans'::regclass AND attnum > 0 ORDER BY attnum`,
  );
  await coordinator.query("BEGIN");
  try {
    await coordinator.query("DROP TABLE IF EXISTS span_chunk_spans");
    await coordinator.query(
      `CREATE TABLE span_chunk_spans (${rows.map((row) => row.column).join(", ")}) PARTITION BY LIST ((seq % ${shards}))`,
    );
    for (let k = 0; k < shards; k++) {
      await coordinator.query(
        `CREATE FOREIGN TABLE span_chunk_spans_s${k} PARTITION OF span_chunk_spans FOR VALUES IN (${k})
           SERVER ${shardServer(k)} OPTIONS (table_name 'span_chunk_spans')`,
      );
    }
    await coordinator.query("COMMIT");
  } catch (error) {
    await coordinator.query("ROLLBACK");
    throw error;
  }
}
