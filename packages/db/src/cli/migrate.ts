// `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to the embedded
// database that `npm start` uses when DATABASE_URL is unset.
import { resolve } from "node:path";
import { ensureDatabase } from "../embedded/ensure-database.ts";
import { startEmbeddedPostgres } from "../embedded/launcher.ts";
import { migrate } from "../migrations/runner.ts";
import { cliEnv } from "./env.ts";

const env = cliEnv();
let url = env.DATABASE_URL;
let stop = async () => {};
if (!url) {
  const embedded = await startEmbeddedPostgres({
    dataDir: resolve(env.VIGIL_DATA_DIR, "pgdata"),
    persistent: true,
  });
  await ensureDatabase(embedded.adminUrl, "vigil");
  url = embedded.urlFor("vigil");
  stop = embedded.stop;
  console.log(`embedded PostgreSQL in ${env.VIGIL_DATA_DIR}/pgdata`);
}
try {
  const result = await migrate({
    connectionString: url,
    onApplied: (name, ms) => console.log(`applied ${name} (${ms} ms)`),
  });
  console.log(`${result.applied.length} applied, ${result.alreadyApplied} already in place`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await stop();
}
