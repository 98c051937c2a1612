// The control plane's process: choose and migrate the database, bootstrap, start background
// jobs, serve HTTP (operational routes and Next.js) on PORT, and shut down gracefully.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { closeDatabase, connectDatabase } from "@vigil/db";
import { migrate, readMigrationFiles } from "@vigil/db/migrations";
import { listenForRegistryChanges } from "@vigil/db/registry";
import { attachShards } from "@vigil/db/shards";
import { runsDemo, startDemo } from "../demo/launch.ts";
import { provisionAlerts } from "../domain/alerting/provisioning.ts";
import { bootstrap } from "../domain/bootstrap.ts";
import { EnvError, env } from "../env.ts";
import { selfMetrics } from "../ingest/stats.ts";
import { jobs } from "../jobs/index.ts";
import { startScheduler } from "../jobs/scheduler.ts";
import { logger } from "../lib/logger.ts";
import { closeRedis, connectRedis } from "../lib/redis.ts";
import { announceChange } from "../registry/changes.ts";
import { readScrapeFile } from "../scrape/config.ts";
import { setScrapeFile } from "../scrape/targets.ts";
import { resolveAuthSecret } from "./auth-secret.ts";
import { trustedProxies } from "./client-ip.ts";
import { chooseDatabase } from "./database.ts";
import { printFirstRunBanner } from "./first-run-banner.ts";
import { createControlPlaneServer, drain, listen } from "./http-server.ts";
import { createLifecycle, StartInterrupted } from "./lifecycle.ts";
import { runtime, setRuntime } from "./runtime.ts";
import { startSelfObservation } from "./self-observation.ts";

const webRoot = fileURLToPath(new URL("../..", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../../..", import.meta.url));
// On a stop, requests get 25 s to finish, and the whole stop 45 s: past that (a query that will
// not end, say), the process exits 1 and its log names the step it waited for.
const SHUTDOWN_GRACE_MS = 25_000;
const SHUTDOWN_DEADLINE_MS = 45_000;

function readEnv() {
  try {
    return env();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    process.stderr.write(`vigil: ${error.message}\n`);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readEnv();
  const log = logger();
  const life = createLifecycle(log, SHUTDOWN_DEADLINE_MS);
  const dev = process.argv.includes("--dev");
  const dataDir = config.VIGIL_DATA_DIR ?? join(repoRoot, ".vigil");

  try {
    const database = await chooseDatabase(config.DATABASE_URL, dataDir, log);
    life.onStop("stop the database", database.stop);
    life.checkpoint();
    const migrations = await readMigrationFiles();
    await migrate({
      connectionString: database.url,
      onApplied: (name, ms) => log.info({ migration: name, ms }, "migration applied"),
    });
    if (config.VIGIL_SHARDS) {
      await attachShards(database.url, config.VIGIL_SHARDS);
      log.info({ shards: config.VIGIL_SHARDS.length }, "telemetry spread over shards");
    }
    connectDatabase(database.url, {
      readUrl: config.DATABASE_READ_URL,
      readReplica: {
        maxLagSeconds: config.VIGIL_READ_MAX_LAG_SECONDS,
        onSwitch: (to, lag) =>
          log.info(
            { reads: to, lag },
            `reads go to the ${to === "replica" ? "read replica" : "primary"}`,
          ),
      },
    });
    life.onStop("close database connections", closeDatabase);
    life.onStop("close Redis", closeRedis);
    // Connected before the first request, so shared rate limits count from the first one (a
    // Redis that cannot be reached is reported by /readyz, and limits count per replica).
    await connectRedis(log);
    // Blocking registry reads here also wake for changes made on other replicas.
    const registryListener = listenForRegistryChanges(database.url, announceChange, (error) =>
      log.warn({ err: error }, "registry change listener reconnecting"),
    );
    life.onStop("stop the registry change listener", registryListener.stop);
    life.checkpoint();

    const baseUrl = config.VIGIL_PUBLIC_URL ?? `http://localhost:${config.PORT}`;
    const secretFile = join(dataDir, "auth-secret");
    const { secret, generated } = await resolveAuthSecret(config.VIGIL_AUTH_SECRET, secretFile);
    if (generated) {
      log.info(
        { file: secretFile },
        "generated a session-signing secret (set VIGIL_AUTH_SECRET to share one across replicas)",
      );
    }
    setRuntime({
      baseUrl,
      trustedOrigins: [
        baseUrl,
        `http://localhost:${config.PORT}`,
        `http://127.0.0.1:${config.PORT}`,
      ],
      authSecret: secret,
    });

    const report = await bootstrap(config);
    for (const note of report.notes) log.info(note);
    if (config.VIGIL_ALERTS_FILE) {
      const applied = await provisionAlerts(config.VIGIL_ALERTS_FILE, report.projectId);
      log.info({ file: config.VIGIL_ALERTS_FILE, ...applied }, "alerting provisioned from file");
    }
    if (config.VIGIL_SCRAPE_FILE) {
      const scrapeJobs = await readScrapeFile(config.VIGIL_SCRAPE_FILE);
      setScrapeFile(report.projectId, scrapeJobs);
      log.info(
        { file: config.VIGIL_SCRAPE_FILE, jobs: scrapeJobs.length },
        "scrape targets read from file",
      );
    }
    life.checkpoint();

    if (runsDemo(config.VIGIL_DEMO, database.embedded)) {
      // The fleet starts in the background, beside Next.js (its agents retry until this
      // server listens); a stop waits for its start, then stops it while this server still
      // answers, so its instances can deregister.
      const demo = startDemo({
        dataDir,
        endpoint: `http://127.0.0.1:${config.PORT}`,
        redisUrl: config.REDIS_URL,
        log,
      }).catch((error: unknown) => {
        log.error({ err: error }, "the demo fleet could not start; Vigil runs without it");
        return async () => {};
      });
      life.beforeDrain("stop the demo fleet", async () => (await demo)());
    }
    const scheduler = startScheduler({
      connectionString: database.url,
      jobs,
      log,
      retryMs: config.VIGIL_LEADER_RETRY_MS,
    });
    life.onStop("stop background jobs", scheduler.stop);
    selfMetrics.sources.isLeader = scheduler.isLeader;

    const { default: next } = await import("next");
    const app = next({ dev, dir: webRoot, hostname: "localhost", port: config.PORT });
    await app.prepare();
    life.checkpoint();
    const server = createControlPlaneServer({
      next: app.getRequestHandler(),
      ops: { migrations, draining: life.stopping, metricsToken: config.VIGIL_METRICS_TOKEN },
      log,
      trustedOrigins: () => runtime().trustedOrigins,
      trustedProxies: trustedProxies(config.VIGIL_TRUSTED_PROXIES),
      dev,
    });
    await listen(server, config.PORT, config.HOST);
    life.serving(() => drain(server, SHUTDOWN_GRACE_MS));
    if (config.VIGIL_SELF_OBSERVE) {
      const stopObserving = await startSelfObservation({
        authSecret: secret,
        host: config.HOST,
        port: config.PORT,
        shardUrls: config.VIGIL_SHARDS ?? [],
        log,
      });
      life.beforeDrain("stop self-observation", stopObserving);
    }
    printFirstRunBanner(report, baseUrl);
    log.info(
      { url: baseUrl, database: database.embedded ? "embedded" : "DATABASE_URL" },
      "Vigil is ready",
    );
  } catch (error) {
    if (error instanceof StartInterrupted) {
      log.info(error.message);
      await life.abort(0);
    }
    log.fatal({ err: error }, error instanceof Error ? error.message : "start failed");
    await life.abort(1);
  }
}

await main();
