import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDatabase, connectDatabase, type Database } from "../client.ts";
import { dropDatabase, ensureDatabase } from "../embedded/ensure-database.ts";
import "./provided-context.ts";
import { attachShards } from "../shards/attach.ts";
import { testEnv } from "./env.ts";
import { databaseUrl } from "./url.ts";

export type TestDatabase = {
  name: string;
  url: string;
  /** The shards' databases, when it has shards. */
  shardUrls: string[];
  drop(): Promise<void>;
};

/**
 * A fresh database for one test file: migrated (a copy of the template) or empty. A migrated one
 * spreads its telemetry over `shards` databases on the same server (VIGIL_TEST_SHARDS unless
 * given), attached as a production install attaches them.
 */
export async function createTestDatabase(
  options: { migrated?: boolean; shards?: number } = {},
): Promise<TestDatabase> {
  const adminUrl = inject("pgAdminUrl");
  const name = `vigil_t_${randomBytes(6).toString("hex")}`;
  const migrated = options.migrated !== false;
  await ensureDatabase(adminUrl, name, migrated ? inject("pgTemplate") : undefined);
  const shards = migrated ? (options.shards ?? testEnv().VIGIL_TEST_SHARDS) : 0;
  const shardNames = Array.from({ length: shards }, (_, i) => `${name}_s${i}`);
  for (const shard of shardNames) await ensureDatabase(adminUrl, shard, inject("pgTemplate"));
  const url = databaseUrl(adminUrl, name);
  const shardUrls = shardNames.map((shard) => databaseUrl(adminUrl, shard));
  await attachShards(url, shardUrls);
  return {
    name,
    url,
    shardUrls,
    async drop() {
      await dropDatabase(adminUrl, name);
      for (const shard of shardNames) await dropDatabase(adminUrl, shard);
    },
  };
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
