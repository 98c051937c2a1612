import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type ReplicatedPair, startReplicatedPair } from "@vigil/db/embedded";
import { setupTestDatabase } from "@vigil/db/testing";
import { Redis } from "ioredis";
import pg from "pg";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ChildServer, startChildServer } from "../cluster/child-server.ts";
import { THRESHOLDS } from "../domain/overview/grades.ts";
import { infrastructure } from "../domain/overview/infrastructure.ts";
import { scaling } from "../domain/overview/scaling.ts";
import type { TimeWindow } from "../domain/overview/time-range.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { parseScrapeConfig } from "./config.ts";
import { Scraper } from "./scraper.ts";
import { scrapeTargets, setScrapeFile } from "./targets.ts";

// Debian's redis_exporter, postgres_exporter (on a primary and on its streaming replica) and
// node_exporter, scraped by Vigil from a scrape file: the Overview's cache hit rate and replica
// lag rows show those servers, pausing the replica's replay makes its lag climb, and the
// Infrastructure panel has a row for node_exporter's host.

setupTestDatabase();

const QUERIES_YAML = "/usr/share/doc/prometheus-postgres-exporter/examples/queries.yaml";

let dir: string;
let pair: ReplicatedPair;
let redis: ChildServer;
let redisClient: Redis;
const exporters: ChildServer[] = [];
let projectId: string;
const ports: Record<string, number> = {};

async function exporter(
  command: string,
  args: string[],
  port: number,
  env: Record<string, string> = {},
) {
  const server = await startChildServer(
    command,
    [`--web.listen-address=127.0.0.1:${port}`, ...args],
    async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).status === 200,
    env,
  );
  exporters.push(server);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vigil-exporters-"));
  // As root the embedded servers run as `postgres`, which must be able to enter the folder.
  await chmod(dir, 0o755);
  pair = await startReplicatedPair(join(dir, "pg"), "orders-replica");
  const redisPort = await freePort();
  redis = await startChildServer(
    "redis-server",
    ["--port", String(redisPort), "--save", "", "--appendonly", "no"],
    async () => {
      const probe = new Redis({ port: redisPort, lazyConnect: true, maxRetriesPerRequest: 0 });
      probe.on("error", () => {}); // refused until the server listens: the next poll retries
      try {
        await probe.connect();
        return (await probe.ping()) === "PONG";
      } finally {
        probe.disconnect();
      }
    },
  );
  redisClient = new Redis({ port: redisPort });
  for (const name of ["redis", "primary", "replica", "node"]) ports[name] = await freePort();
  const dsn = (url: string) => `${url}${url.includes("?") ? "&" : "?"}sslmode=disable`;
  await Promise.all([
    exporter(
      "prometheus-redis-exporter",
      [`--redis.addr=redis://127.0.0.1:${redisPort}`],
      ports.redis as number,
    ),
    exporter("prometheus-postgres-exporter", [], ports.primary as number, {
      DATA_SOURCE_NAME: dsn(pair.primary.adminUrl),
    }),
    exporter(
      "prometheus-postgres-exporter",
      [`--extend.query-path=${QUERIES_YAML}`],
      ports.replica as number,
      {
        DATA_SOURCE_NAME: dsn(pair.replica.adminUrl),
      },
    ),
    exporter(
      "prometheus-node-exporter",
      [
        "--collector.disable-defaults",
        "--collector.cpu",
        "--collector.meminfo",
        "--collector.netdev",
      ],
      ports.node as number,
    ),
  ]);
  ({ projectId } = await createOrgWithProject());
  setScrapeFile(
    projectId,
    parseScrapeConfig(`
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: redis
    static_configs: [{ targets: ["127.0.0.1:${ports.redis}"] }]
  - job_name: postgres
    static_configs:
      - targets: ["127.0.0.1:${ports.primary}"]
        labels: { role: primary }
      - targets: ["127.0.0.1:${ports.replica}"]
        labels: { role: replica }
  - job_name: node
    static_configs: [{ targets: ["127.0.0.1:${ports.node}"] }]
`),
  );
}, 120_000);

afterAll(async () => {
  setScrapeFile(projectId, []);
  redisClient?.disconnect();
  await Promise.all(exporters.map((e) => e.stop()));
  await redis?.stop();
  await pair?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const scraper = new Scraper(() => pino({ level: "silent" }));
let clock = Date.now() - 120_000;

/**
 * One scrape of every target, a second after the last: a clock of our own (no waiting), which
 * runs ahead of the real one when scrapes come quickly — the Overview below looks that far.
 */
async function scrapeAll() {
  clock += 1000;
  const outcomes = await Promise.all(
    scraper.startDue(await scrapeTargets(), clock + 60_000, new AbortController().signal),
  );
  return outcomes;
}

const overview = () =>
  scaling(
    projectId,
    { fromMs: Date.now() - 10 * 60_000, toMs: Date.now() + 60 * 60_000 } as TimeWindow,
    THRESHOLDS,
  );

describe("Prometheus exporters scraped by Vigil", () => {
  it("scrapes each exporter (up = 1) and lights the cache hit rate row from redis_exporter", async () => {
    await scrapeAll();
    await scrapeAll();
    await redisClient.set("product:1", "shoes");
    for (let i = 0; i < 30; i++) await redisClient.get("product:1");
    for (let i = 0; i < 10; i++) await redisClient.get(`missing:${i}`);
    const outcomes = await scrapeAll();
    expect(outcomes.map((o) => o.error)).toEqual(["", "", "", ""]);
    expect(outcomes.every((o) => o.up && o.samples > 0)).toBe(true);
    const { caches } = await overview();
    const cache = caches.find((c) => c.cache === `redis 127.0.0.1:${ports.redis}`);
    expect(cache).toMatchObject({ services: ["redis"], hits: 30, misses: 10, hitRate: 0.75 });
  }, 60_000);

  it("shows the replica's lag from postgres_exporter, climbing while its replay is paused", async () => {
    const writer = new pg.Client({ connectionString: pair.primary.adminUrl });
    await writer.connect();
    const standby = new pg.Client({ connectionString: pair.replica.adminUrl });
    await standby.connect();
    try {
      await writer.query(
        "CREATE TABLE IF NOT EXISTS orders (id serial PRIMARY KEY, at timestamptz DEFAULT now())",
      );
      await writer.query("INSERT INTO orders DEFAULT VALUES");
      // The standby has replayed that commit (its replay timestamp, which the lag is measured
      // from, is set) before its replay is paused.
      const { rows } = await writer.query<{ lsn: string }>(
        "SELECT pg_current_wal_lsn()::text AS lsn",
      );
      const target = rows[0]?.lsn;
      for (;;) {
        const replayed = await standby.query<{ done: boolean }>(
          "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AND pg_last_xact_replay_timestamp() IS NOT NULL AS done",
          [target],
        );
        if (replayed.rows[0]?.done) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await scrapeAll();
      await scrapeAll();
      const before = (await overview()).replicas.find(
        (r) => r.replica === `127.0.0.1:${ports.replica}`,
      );
      expect(before).toMatchObject({ service: "postgres", source: "replica" });
      await standby.query("SELECT pg_wal_replay_pause()");
      // Writes go on on the primary; the standby applies none of them.
      let lag = before?.seconds ?? 0;
      const deadline = Date.now() + 30_000;
      while (lag < 2 && Date.now() < deadline) {
        await writer.query("INSERT INTO orders DEFAULT VALUES");
        await scrapeAll();
        lag =
          (await overview()).replicas.find((r) => r.replica === `127.0.0.1:${ports.replica}`)
            ?.seconds ?? 0;
      }
      expect(lag).toBeGreaterThanOrEqual(2);
      expect(lag).toBeGreaterThan(before?.seconds ?? 0);
      // The primary's exporter sees the same standby fall behind, in bytes.
      const fromPrimary = (await overview()).replicas.find((r) => r.replica === "orders-replica");
      expect(fromPrimary).toMatchObject({ service: "postgres", source: "primary" });
      expect(fromPrimary?.bytes).toBeGreaterThan(0);
      await standby.query("SELECT pg_wal_replay_resume()");
    } finally {
      await writer.end();
      await standby.end();
    }
  }, 60_000);

  it("shows node_exporter's host in the Infrastructure panel", async () => {
    await scrapeAll();
    const now = Date.now();
    const rows = await infrastructure(projectId, {
      fromMs: now - 10 * 60_000,
      toMs: now + 60_000,
      nowMs: now,
      stepMs: 60_000,
      range: "custom",
    });
    const host = rows.find((row) => row.service === "node");
    expect(host).toMatchObject({ instances: 1, eventLoopP99: null });
    // This clock says a second passes between scrapes, whatever the host's counters saw: the
    // shares are not the host's real ones, only where they come from is checked.
    expect(host?.cpu).toBeLessThanOrEqual(1);
    expect(host?.memory).toBeGreaterThan(1024 * 1024);
    expect(host?.network).toBeGreaterThanOrEqual(0);
    // The exporters that are not node_exporter are no hosts.
    expect(rows.map((row) => row.service)).toEqual(["node"]);
  }, 60_000);
});
