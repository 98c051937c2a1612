import { join } from "node:path";
import type { Logger } from "pino";

export type DatabaseChoice = { url: string; embedded: boolean; stop(): Promise<void> };

/**
 * DATABASE_URL when it is set; otherwise Vigil's own PostgreSQL, started from the binaries in
 * npm, with its files in the data folder so they survive restarts.
 */
export async function chooseDatabase(
  databaseUrl: string | undefined,
  dataDir: string,
  log: Logger,
): Promise<DatabaseChoice> {
  if (databaseUrl) return { url: databaseUrl, embedded: false, stop: async () => {} };
  const { startEmbeddedPostgres, ensureDatabase } = await import("@vigil/db/embedded");
  const pgLog = log.child({ component: "embedded-postgres" });
  const server = await startEmbeddedPostgres({
    dataDir: join(dataDir, "pgdata"),
    persistent: true,
    preferredPort: 54329,
    onLog: (line) => pgLog.debug(line),
  });
  await ensureDatabase(server.adminUrl, "vigil");
  log.info(
    { port: server.port, dataDir: join(dataDir, "pgdata") },
    "embedded PostgreSQL started (DATABASE_URL is unset)",
  );
  return { url: server.urlFor("vigil"), embedded: true, stop: server.stop };
}
