// What both benchmarks stand on: a throwaway database (embedded, or a fresh one on the server
// DATABASE_URL names), migrated, with the default project, an ingest key and Vigil's HTTP server
// (without the UI) listening on a free port.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { closeDatabase, connectDatabase } from "@vigil/db";
import { dropDatabase, ensureDatabase, startEmbeddedPostgres } from "@vigil/db/embedded";
import { migrate, readMigrationFiles } from "@vigil/db/migrations";
import pino from "pino";
import { createApiKey } from "../src/domain/keys/api-keys.ts";
import { ensureDefaultProject } from "../src/domain/tenancy/projects.ts";
import { env } from "../src/env.ts";
import { createControlPlaneServer, listen } from "../src/server/http-server.ts";

export const fmt = (n: number) => n.toLocaleString("en-US");

export const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};

/** A fresh database for one benchmark run (embedded, or on the server DATABASE_URL names). */
export async function throwawayDatabase(): Promise<{ url: string; stop(): Promise<void> }> {
  const name = `vigil_bench_${Date.now()}`;
  const external = env().DATABASE_URL;
  if (external) {
    await ensureDatabase(external, name);
    const url = new URL(external);
    url.pathname = `/${name}`;
    return { url: url.toString(), stop: () => dropDatabase(external, name) };
  }
  const dir = await mkdtemp(join(tmpdir(), "vigil-bench-"));
  await chmod(dir, 0o755);
  const server = await startEmbeddedPostgres({ dataDir: join(dir, "pg"), persistent: false });
  await ensureDatabase(server.adminUrl, name);
  return {
    url: server.urlFor(name),
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The database a query benchmark measures: one it was given (`--database`), or a throwaway. */
export async function benchDatabase(
  url: string | undefined,
): Promise<{ url: string; stop(): Promise<void> }> {
  return url ? { url, stop: async () => {} } : throwawayDatabase();
}

/** p50 and p95 of `times` runs, after one untimed run (a dashboard is refreshed, not opened once). */
export async function timed<T>(
  fn: (run: number) => Promise<T>,
  times: number,
): Promise<{ p50: number; p95: number; last: T }> {
  let last = await fn(0);
  const ms: number[] = [];
  for (let i = 1; i <= times; i++) {
    const started = performance.now();
    last = await fn(i);
    ms.push(performance.now() - started);
  }
  return { p50: quantile(ms, 0.5), p95: quantile(ms, 0.95), last };
}

export type BenchControlPlane = {
  url: string;
  databaseUrl: string;
  projectId: string;
  key: string;
  stop(): Promise<void>;
};

export async function startBenchControlPlane(maxConnections: number): Promise<BenchControlPlane> {
  const store = await throwawayDatabase();
  await migrate({ connectionString: store.url });
  connectDatabase(store.url, { maxConnections });
  const { projectId } = await ensureDefaultProject();
  const { secret } = await createApiKey({ projectId, name: "bench", scope: "ingest" });
  const server = createControlPlaneServer({
    next: async (_req, res) => void res.writeHead(404).end(),
    ops: { migrations: await readMigrationFiles(), draining: () => false },
    log: pino({ level: "silent" }),
  });
  await listen(server, 0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    databaseUrl: store.url,
    projectId,
    key: secret,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDatabase();
      await store.stop();
    },
  };
}
