import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export type MigrationFile = { name: string; sql: string; checksum: string };

/** Where this package's migrations live, in Prisma's layout: <timestamp>_<name>/migration.sql. */
export const defaultMigrationsDir = fileURLToPath(
  new URL("../../prisma/migrations", import.meta.url),
);

export function checksumOf(sql: string): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Reads every migration folder under dir, in name order (names start with a timestamp). */
export async function readMigrationFiles(
  dir: string = defaultMigrationsDir,
): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const folders = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  const files: MigrationFile[] = [];
  for (const name of folders) {
    const sql = await readFile(join(dir, name, "migration.sql"), "utf8").catch(() => {
      throw new Error(`Migration folder ${name} has no migration.sql`);
    });
    files.push({ name, sql, checksum: checksumOf(sql) });
  }
  return files;
}
