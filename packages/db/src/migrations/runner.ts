import pg from "pg";
import { type MigrationFile, readMigrationFiles } from "./files.ts";

/** Serialises every migration runner on one database (an arbitrary, fixed advisory-lock key). */
const MIGRATION_LOCK_KEY = 720_301_001;
const LEDGER = "vigil_migrations";

export type MigrateOptions = {
  connectionString: string;
  /** Defaults to this package's prisma/migrations. */
  dir?: string;
  onApplied?: (name: string, ms: number) => void;
};

export type MigrateResult = { applied: string[]; alreadyApplied: number };

export class MigrationError extends Error {
  override name = "MigrationError";
}

type LedgerRow = { name: string; checksum: string };

/**
 * Applies pending migrations in name order, one transaction per file, under an advisory lock so
 * that concurrent runners apply each file once. Refuses to run when an applied file was edited
 * or when the database has migrations this build does not know.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const files = await readMigrationFiles(options.dir);
  const client = new pg.Client({ connectionString: options.connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS ${LEDGER} (
      name text PRIMARY KEY,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now(),
      duration_ms integer NOT NULL
    )`);
    const ledger = await readLedger(client);
    const pending = pendingMigrations(files, ledger);
    const applied: string[] = [];
    for (const file of pending) {
      const ms = await applyOne(client, file);
      applied.push(file.name);
      options.onApplied?.(file.name, ms);
    }
    return { applied, alreadyApplied: ledger.length };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
    await client.end();
  }
}

/** Names of files not yet applied; throws when the ledger and the files disagree. */
export function pendingMigrations(files: MigrationFile[], ledger: LedgerRow[]): MigrationFile[] {
  const byName = new Map(files.map((file) => [file.name, file]));
  for (const row of ledger) {
    const file = byName.get(row.name);
    if (!file) {
      throw new MigrationError(
        `The database has migration ${row.name}, which this build does not contain. ` +
          "Run a build that includes it (the database is newer than this code).",
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `Migration ${row.name} was edited after it was applied (checksum ${row.checksum.slice(0, 12)}… ` +
          `in the database, ${file.checksum.slice(0, 12)}… on disk). Restore the file and put the ` +
          "change in a new migration.",
      );
    }
  }
  const applied = new Set(ledger.map((row) => row.name));
  return files.filter((file) => !applied.has(file.name));
}

async function readLedger(client: pg.Client): Promise<LedgerRow[]> {
  const result = await client.query<LedgerRow>(
    `SELECT name, checksum FROM ${LEDGER} ORDER BY name`,
  );
  return result.rows;
}

/** Applies one file in its own transaction; returns how long it took in milliseconds. */
async function applyOne(client: pg.Client, file: MigrationFile): Promise<number> {
  const started = performance.now();
  await client.query("BEGIN");
  try {
    await client.query(file.sql);
    const ms = Math.round(performance.now() - started);
    await client.query(`INSERT INTO ${LEDGER} (name, checksum, duration_ms) VALUES ($1, $2, $3)`, [
      file.name,
      file.checksum,
      ms,
    ]);
    await client.query("COMMIT");
    return ms;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration ${file.name} failed and was rolled back: ${reason}`);
  }
}

export type MigrationStatus = { expected: number; applied: number; pending: string[] };

/** How far the database is from this build's migrations (for /readyz). */
export async function migrationStatus(
  pool: pg.Pool,
  files: MigrationFile[],
): Promise<MigrationStatus> {
  const exists = await pool.query<{ present: boolean }>(
    "SELECT to_regclass($1) IS NOT NULL AS present",
    [LEDGER],
  );
  const rows = exists.rows[0]?.present
    ? (await pool.query<{ name: string }>(`SELECT name FROM ${LEDGER}`)).rows
    : [];
  const applied = new Set(rows.map((row) => row.name));
  const pending = files.filter((file) => !applied.has(file.name)).map((file) => file.name);
  return { expected: files.length, applied: applied.size, pending };
}
