import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { dropDatabase, ensureDatabase } from "../embedded/ensure-database.ts";
import { startEmbeddedPostgres } from "../embedded/launcher.ts";
import { migrate } from "../migrations/runner.ts";
import { testEnv } from "./env.ts";
import "./provided-context.ts";
import { databaseUrl } from "./url.ts";

/**
 * Vitest global setup: one PostgreSQL per test run (an embedded, throwaway one unless
 * DATABASE_URL names a server) and one migrated template database on it.
 */
export default async function setup(project: TestProject) {
  const env = testEnv();
  let adminUrl = env.DATABASE_URL;
  let stopServer = async () => {};
  if (!adminUrl) {
    const dataDir = await mkdtemp(join(tmpdir(), "vigil-test-pg-"));
    await chmod(dataDir, 0o755); // as root, the server runs as the `postgres` user
    const server = await startEmbeddedPostgres({
      dataDir: join(dataDir, "data"),
      persistent: false,
    });
    adminUrl = server.adminUrl;
    stopServer = async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    };
  }
  const template = `vigil_tpl_${randomBytes(5).toString("hex")}`;
  await ensureDatabase(adminUrl, template);
  await migrate({ connectionString: databaseUrl(adminUrl, template) });
  project.provide("pgAdminUrl", adminUrl);
  project.provide("pgTemplate", template);
  const serverUrl = adminUrl;
  return async () => {
    await dropDatabase(serverUrl, template);
    await stopServer();
  };
}
