// Settings for the statements of one piece of work (work_mem, enable_nestloop, statement_timeout):
// SET LOCAL in the caller's transaction, or SETs in front of a statement a shard runs on a
// connection of its own (shards/remote.ts). Names and values are Vigil's own, checked all the same.
import type pg from "pg";

export type Settings = Record<string, string | number>;

const sets = (settings: Settings, local: boolean) =>
  Object.entries(settings)
    .map(([name, value]) => {
      if (!/^[a-z_]+$/.test(name) || !/^[\w.]+$/.test(String(value)))
        throw new Error(`not a setting Vigil makes: ${name}`);
      return `SET ${local ? "LOCAL " : ""}${name} = '${value}'; `;
    })
    .join("");

/** Applies `settings` to the rest of `client`'s open transaction, in one round trip. */
export async function setLocal(client: Pick<pg.PoolClient, "query">, settings: Settings) {
  const statements = sets(settings, true);
  if (statements) await client.query(statements);
}

/** `sql` preceded by SETs of `settings`, for a statement sent to a shard. */
export function withSettings(settings: Settings, sql: string): string {
  return `${sets(settings, false)}${sql}`;
}
