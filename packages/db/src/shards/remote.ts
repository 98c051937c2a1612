import type pg from "pg";

/**
 * Runs `sql` on a shard, through the coordinator (dblink over the shard's foreign server): the
 * coordinator is the only database Vigil's processes connect to. `sql` takes $1… like a query
 * of this driver; the values are quoted into it by PostgreSQL (`format` with %L), never by us.
 * `columns` names and types what a SELECT returns; without it the statement's row count returns.
 *
 * The shard runs it under the caller's statement_timeout: a coordinator waiting on dblink does
 * not notice its own timeout until the shard answers, so the shard must give up by itself.
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
  if (columns) {
    const remote = remoteRows(server, sql, params, columns);
    return (await client.query(`SELECT * FROM ${remote.from}`, remote.values)).rows;
  }
  const { formatted, values } = formatOn(server, sql, params);
  const result = await client.query<{ status: string }>(
    `SELECT dblink_exec($1, ${formatted}) AS status`,
    values,
  );
  return Number(/(\d+)$/.exec(result.rows[0]?.status ?? "")?.[1] ?? 0);
}

/**
 * The rows of a SELECT run on a shard, as a FROM item of a coordinator statement (`from`, which
 * takes `values` as its $1…): for statements that keep what a shard computes, say an INSERT.
 */
export function remoteRows(
  server: string,
  sql: string,
  params: unknown[],
  columns: string,
): { from: string; values: unknown[] } {
  const { formatted, values } = formatOn(server, sql, params);
  return { from: `dblink($1, ${formatted}) AS t(${columns})`, values };
}

/**
 * `sql` with its $n as format()'s %n$L, and the values that fill it ($1 the server), after the
 * coordinator's statement_timeout (dblink connects anew for each call, so the SET ends with it).
 */
function formatOn(server: string, sql: string, params: unknown[]) {
  const template = sql.replaceAll("%", "%%").replace(/\$(\d+)/g, "%$1$$L");
  const args = params.map((value, i) => `$${i + 3}::${Array.isArray(value) ? "text[]" : "text"}`);
  const timeout =
    "'SET statement_timeout = ' || quote_literal(current_setting('statement_timeout')) || '; '";
  return {
    formatted: `${timeout} || format($2${args.map((arg) => `, ${arg}`).join("")})`,
    values: [server, template, ...params.map(asText)],
  };
}

function asText(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(String);
  if (value === null || value === undefined) return null;
  return String(value);
}
