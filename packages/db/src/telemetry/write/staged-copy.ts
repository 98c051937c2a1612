import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { dayOf, ensureDailyPartitions } from "../rollup/partitions.ts";

export type StagedTable<Row> = {
  table: string;
  columns: readonly string[];
  line(row: Row): string;
  timeOf(row: Row): bigint;
  /**
   * An item's identity when it is not the primary key: rows that share these columns are one
   * item, kept once however its time column differs (a span is its trace and span id).
   */
  identity?: { columns: readonly string[]; timeColumn: string; withinNs: bigint };
};

/**
 * Columns PostgreSQL computes from each staged row `s` as it is inserted, with the query
 * parameters their SQL names ($1…).
 */
export type DerivedColumns = { columns: { column: string; sql: string }[]; params: unknown[] };

/**
 * The idempotent bulk write shared by the telemetry tables, in the caller's transaction. A table
 * whose primary key is the item's identity takes a plain COPY first (a batch sent for the first
 * time, the usual case, costs what COPY costs); when the batch holds a row stored before (a
 * client's retry), the COPY is undone and the staged path below keeps only the new rows.
 * Returns how many rows were new.
 */
export async function copyIdempotently<Row>(
  client: pg.PoolClient,
  target: StagedTable<Row>,
  rows: Row[],
  derived?: DerivedColumns,
): Promise<number> {
  const columns = target.columns.map((column) => `"${column}"`).join(", ");
  if (!target.identity && !derived) {
    await client.query("SAVEPOINT plain_copy");
    try {
      const copy = client.query(copyFrom(`COPY ${target.table} (${columns}) FROM STDIN`));
      await pipeline(chunks(rows, target.line), copy);
      await client.query("RELEASE SAVEPOINT plain_copy");
      // Fewer than sent when a shard's trigger refused some (shards/attach).
      return copy.rowCount;
    } catch (error) {
      if ((error as { code?: string }).code !== UNIQUE_VIOLATION) throw error;
      await client.query("ROLLBACK TO SAVEPOINT plain_copy");
    }
  }
  return copyStaged(client, target, rows, columns, derived);
}

const UNIQUE_VIOLATION = "23505";

/**
 * COPY into a per-connection staging table, then one INSERT … ON CONFLICT DO NOTHING into the
 * partitioned table (with an identity, one row per item).
 */
async function copyStaged<Row>(
  client: pg.PoolClient,
  target: StagedTable<Row>,
  rows: Row[],
  columns: string,
  derived: DerivedColumns = { columns: [], params: [] },
): Promise<number> {
  const stage = `${target.table}_stage`;
  await client.query(
    `CREATE TEMP TABLE IF NOT EXISTS ${stage} (LIKE ${target.table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS`,
  );
  await pipeline(
    chunks(rows, target.line),
    client.query(copyFrom(`COPY ${stage} (${columns}) FROM STDIN`)),
  );
  const names = derived.columns.map((d) => `"${d.column}"`);
  const values = derived.columns.map((d) => `${d.sql} AS "${d.column}"`);
  const inserted = await client.query(
    `INSERT INTO ${target.table} (${[columns, ...names].join(", ")})
     ${identitySelect(target, stage, [columns, ...values].join(", "))}
     ON CONFLICT DO NOTHING`,
    derived.params,
  );
  return inserted.rowCount ?? 0;
}

/**
 * The staged rows to insert. With an identity, one row per item, and none for an item already
 * stored at another time nearby (looked up through the primary key's leading columns).
 */
function identitySelect<Row>(target: StagedTable<Row>, stage: string, columns: string): string {
  const identity = target.identity;
  if (!identity) return `SELECT ${columns} FROM ${stage} s`;
  const keys = identity.columns.map((column) => `"${column}"`);
  const time = `"${identity.timeColumn}"`;
  const same = keys.map((key) => `t.${key} = s.${key}`).join(" AND ");
  return `SELECT DISTINCT ON (${keys.join(", ")}) ${columns} FROM ${stage} s
     WHERE NOT EXISTS (
       SELECT 1 FROM ${target.table} t
        WHERE ${same} AND t.${time} <> s.${time}
          AND t.${time} BETWEEN s.${time} - ${identity.withinNs} AND s.${time} + ${identity.withinNs})
     ORDER BY ${keys.join(", ")}, ${time}`;
}

/**
 * Partitions for every day the rows fall in. Call it before the transaction: creating a partition
 * locks the parent table until commit, which would stall every other writer.
 */
export function ensurePartitionsFor<Row>(
  pool: pg.Pool,
  target: StagedTable<Row>,
  rows: Row[],
): Promise<void> {
  return ensureDailyPartitions(
    pool,
    target.table,
    rows.map((row) => dayOf(target.timeOf(row))),
  );
}

function* chunks<Row>(rows: Row[], line: (row: Row) => string, size = 1000): Generator<string> {
  for (let i = 0; i < rows.length; i += size) {
    let chunk = "";
    for (const row of rows.slice(i, i + size)) chunk += line(row);
    yield chunk;
  }
}

/** Runs fn in a transaction on its own connection. */
export async function inTransaction<T>(
  pool: pg.Pool,
  fn: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
