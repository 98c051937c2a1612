import pg from "pg";

const NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Creates database `name` on the server at adminUrl when it does not exist. */
export async function ensureDatabase(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<void> {
  if (!NAME.test(name)) throw new Error(`Invalid database name: ${name}`);
  if (template !== undefined && !NAME.test(template))
    throw new Error(`Invalid template: ${template}`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ""}`);
    }
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  if (!NAME.test(name)) throw new Error(`Invalid database name: ${name}`);
  await runSql(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Runs `sql` on a connection of its own to `url` (setup and maintenance statements). */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
