import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, connectDatabase, type Database } from "../client.ts";
import { dropDatabase, ensureDatabase } from "../embedded/ensure-database.ts";
import "./provided-context.ts";
import { databaseUrl } from "./url.ts";

export type TestDatabase = { name: string; url: string; drop(): Promise<void> };

/** A fresh database for one test file: migrated (a copy of the template) or empty. */
export async function createTestDatabase(
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = `vigil_t_${randomBytes(6).toString("hex")}`;
  await ensureDatabase(
    adminUrl,
    name,
    options.migrated === false ? undefined : inject("pgTemplate"),
  );
  return { name, url: databaseUrl(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

/**
 * Gives the calling test file its own migrated database and makes it the process's database
 * client (what `db()` returns). Call once at the top of the file.
 */
export function setupTestDatabase(): { current(): Database; url(): string } {
  let testDb: TestDatabase | undefined;
  let database: Database | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    database = connectDatabase(testDb.url, { maxConnections: 5 });
  });
  afterAll(async () => {
    await closeDatabase();
    await testDb?.drop();
  });
  return {
    current() {
      if (!database) throw new Error("setupTestDatabase: the database is set up in beforeAll");
      return database;
    },
    url() {
      if (!testDb) throw new Error("setupTestDatabase: the database is set up in beforeAll");
      return testDb.url;
    },
  };
}
