import type pg from "pg";

/**
 * Runs `sql` on a shard, through the coordinator (dblink over the shard's foreign server): the
 * coordinator is the only database Vigil's processes connect to. `sql` takes $1… like a query
 * of this driver; the values are quoted into it by PostgreSQL (`format` with %L), never by us.
 * `columns` names and types what a SELECT returns; without it the statement's row count returns.
 */
export async function onShard<Row extends pg.QueryResultRow>(
  client: Pick<pg.Pool, "query">,
  server: string,
  sql: string,
  params: unknown[],
  columns: string,
): Promise<Row[]>;
export async function onShard(
  client: Pick<pg.Pool, "query">,
  server: string,
  sql: string,
  params: unknown[],
): Promise<number>;
export async function onShard(
  client: Pick<pg.Pool, "query">,
  server: string,
  sql: string,
  params: unknown[],
  columns?: string,
): Promise<unknown> {
  const template = sql.replaceAll("%", "%%").replace(/\$(\d+)/g, "%$1$$L");
  const args = params.map((value, i) => `$${i + 3}::${Array.isArray(value) ? "text[]" : "text"}`);
  const formatted = `format($2${args.map((arg) => `, ${arg}`).join("")})`;
  const values = [server, template, ...params.map(asText)];
  if (columns) {
    const result = await client.query(
      `SELECT * FROM dblink($1, ${formatted}) AS t(${columns})`,
      values,
    );
    return result.rows;
  }
  const result = await client.query<{ status: string }>(
    `SELECT dblink_exec($1, ${formatted}) AS status`,
    values,
  );
  return Number(/(\d+)$/.exec(result.rows[0]?.status ?? "")?.[1] ?? 0);
}

function asText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(String);
  if (value === null || value === undefined) return null;
  return String(value);
}
