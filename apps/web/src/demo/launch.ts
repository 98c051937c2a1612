import { type ChildProcess, fork } from "node:child_process";
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { Logger } from "pino";
import { setDemoFleet } from "../server/runtime.ts";
import { provisionDemoAlerts } from "./demo-alerts.ts";
import { ensureDemoProject } from "./demo-project.ts";

// Runs the demo fleet (apps/demo) beside the control plane: its own PostgreSQL primary with a
// streaming replica (throwaway, in the data folder), the "demo" project and its ingest key, the
// fleet as a child process, and the demo alert rules pointed at the fleet's receiver.

const fleetEntry = fileURLToPath(new URL("../../../demo/src/fleet.ts", import.meta.url));
const START_LIMIT_MS = 60_000;
const AGENT_NOISE = /\[VIGIL_AGENT\]|--trace-warnings/;

export type DemoOptions = {
  dataDir: string;
  /** The control plane's own URL, as the fleet reaches it. */
  endpoint: string;
  redisUrl: string | undefined;
  log: Logger;
};

/** The demo runs on the embedded database unless VIGIL_DEMO=0, and with DATABASE_URL only if VIGIL_DEMO=1. */
export function runsDemo(setting: boolean | undefined, embeddedDatabase: boolean): boolean {
  return setting ?? embeddedDatabase;
}

/** Starts the fleet; returns how to stop it (fleet first, then its databases). */
export async function startDemo(options: DemoOptions): Promise<() => Promise<void>> {
  const log = options.log.child({ component: "demo" });
  if (!existsSync(fleetEntry)) {
    log.warn({ missing: fleetEntry }, "the demo fleet is not in this installation; not started");
    return async () => {};
  }
  const { projectId, ingestKey, webhookSecret } = await ensureDemoProject(options.dataDir);
  const { startReplicatedPair } = await import("@vigil/db/embedded");
  const dbDir = join(options.dataDir, "demo", "postgres");
  await rm(dbDir, { recursive: true, force: true }); // throwaway: each start begins afresh
  const pair = await startReplicatedPair(dbDir, "products-replica");
  let child: ChildProcess | null = null;
  // Where `npm run demo --` finds the fleet's switches.
  const stateFile = join(options.dataDir, "demo", "fleet.json");
  let stopping = false;
  const stop = async () => {
    stopping = true;
    setDemoFleet(null);
    await rm(stateFile, { force: true });
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child?.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
    }
    await pair.stop();
  };
  try {
    child = fork(fleetEntry, [], {
      env: {
        NODE_ENV: "production",
        VIGIL_ENDPOINT: options.endpoint,
        VIGIL_KEY: ingestKey,
        DEMO_PRIMARY_URL: pair.primary.adminUrl,
        DEMO_REPLICA_URL: pair.replica.adminUrl,
        DEMO_WEBHOOK_SECRET: webhookSecret,
        ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
      },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    // The fleet's own lines at info; its agents' warnings (a control plane still starting, say)
    // at debug: they are about the demo's telemetry, not about anything the operator runs.
    for (const stream of [child.stdout, child.stderr])
      if (stream)
        createInterface({ input: stream }).on("line", (line) =>
          AGENT_NOISE.test(line) ? log.debug(line) : log.info(line),
        );
    const controlPort = await fleetReady(child);
    child.once("exit", (code, signal) => {
      if (!stopping) {
        setDemoFleet(null); // the Demo tab goes away rather than failing
        log.error(
          { code, signal },
          "the demo fleet stopped unexpectedly; Vigil runs on without it",
        );
      }
    });
    const controlUrl = `http://127.0.0.1:${controlPort}`;
    await provisionDemoAlerts(projectId, `${controlUrl}/webhook`, webhookSecret);
    setDemoFleet({ projectId, controlUrl });
    await writeFile(stateFile, `${JSON.stringify({ controlUrl })}\n`);
    log.info(
      { controlUrl, redis: Boolean(options.redisUrl) },
      "demo fleet running in project demo: open Demo shop after signing in; its Demo tab (or `npm run demo -- status`) breaks things on purpose",
    );
    return stop;
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Resolves with the fleet's control port once it is ready. A fleet that keeps reporting progress
 * (its databases prepared, each instance serving) may take as long as a busy machine needs; one
 * silent for START_LIMIT_MS is given up on.
 */
function fleetReady(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout;
    const wait = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `the demo fleet made no progress for ${START_LIMIT_MS / 1000} s while starting`,
            ),
          ),
        START_LIMIT_MS,
      );
    };
    wait();
    child.on("message", (message: { ready?: boolean; progress?: string; controlPort?: number }) => {
      if (message.progress) wait();
      if (message.ready && message.controlPort) {
        clearTimeout(timer);
        resolve(message.controlPort);
      }
    });
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the demo fleet exited while starting (${signal ?? `code ${code}`})`));
    });
  });
}
