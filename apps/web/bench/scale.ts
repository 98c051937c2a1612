import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { freePort } from "@vigil/db/embedded";
import { resolveService, spansOfTrace } from "@vigil/db/telemetry";
import pg from "pg";
import { type Cluster, startCluster } from "../src/cluster/cluster.ts";
import { env } from "../src/env.ts";
import { startVigil, stopStartedVigils } from "../src/testing/vigil-process.ts";
import { fmt, quantile, throwawayDatabase } from "./harness.ts";
import { httpLoad, type LoadResult } from "./http-load.ts";
import { metricBodies } from "./metric-bodies.ts";
import { childrenNamed, cpuBetween, cpuSeconds, postmasterPid } from "./process-cpu.ts";
import { protobufBody, spanSpecs } from "./span-bodies.ts";
import { spanRows, timedSpanWriter } from "./span-copy.ts";

// `npm run bench:scale`: the same OTLP load into one replica on one PostgreSQL and, in the same
// run, through HAProxy into the cluster arrangement (3 replicas, a primary with its read replica,
// 2 shard servers, Redis); both rates, their ratio, the CPU each server spent, and the cost of
// each hop measured apart (the balancer, the shards' foreign tables on writes and on reads).

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "8" },
  },
});
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);
const SPANS_PER_REQUEST = 512;
const POINTS_PER_REQUEST = 1000;
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const rate = (result: { spans: number; ms: number }) =>
  Math.round((result.spans / result.ms) * 1000);
const log = (line: string) => process.stdout.write(`${line}\n`);

type Target = { name: string; url: string; databaseUrl: string; servers: Record<string, number> };

function spanLoad(target: Target, key: string): Promise<LoadResult> {
  const requests = Math.ceil((seconds * 50_000) / SPANS_PER_REQUEST);
  const bodies = Array.from({ length: requests }, () =>
    protobufBody(spanSpecs(SPANS_PER_REQUEST, nowNs())),
  );
  return httpLoad(
    {
      url: target.url,
      key,
      path: "/v1/traces",
      contentType: "application/x-protobuf",
      seconds,
      concurrency,
      itemsPerRequest: SPANS_PER_REQUEST,
    },
    bodies,
  );
}

function metricLoad(target: Target, key: string): Promise<LoadResult> {
  const requests = Math.ceil((seconds * 150_000) / POINTS_PER_REQUEST);
  const bodies = metricBodies(requests, 2000, POINTS_PER_REQUEST, nowNs() - 3_600_000_000_000n);
  return httpLoad(
    {
      url: target.url,
      key,
      path: "/v1/metrics",
      contentType: "application/x-protobuf",
      seconds,
      concurrency,
      itemsPerRequest: POINTS_PER_REQUEST,
    },
    bodies,
  );
}

/** A load phase with the CPU each server of the target spent in it. */
async function phase(target: Target, run: () => Promise<LoadResult>, unit: string) {
  const before = cpuSeconds(target.servers);
  const result = await run();
  const cpu = cpuBetween(before, cpuSeconds(target.servers));
  const perThousand = (seconds: number) => ((seconds * 1000 * 1000) / result.spans).toFixed(1);
  log(
    `${target.name.padEnd(28)} ${fmt(rate(result)).padStart(8)} ${unit}/s   p50 ${result.p50} ms, p99 ${result.p99} ms, errors ${result.errors}`,
  );
  log(
    `   CPU ms per 1,000 ${unit}: ${Object.entries(cpu)
      .map(([name, s]) => `${name} ${perThousand(s)}`)
      .join(", ")}`,
  );
  return rate(result);
}

/** Median of `n` sequential GETs of `url` (ms). */
async function medianGet(url: string, n = 1000): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await (await fetch(url)).arrayBuffer();
    times.push(performance.now() - started);
  }
  return quantile(times, 0.5);
}

/** The span writer alone into a database (span-copy.ts): spans/s. */
async function writerAlone(databaseUrl: string, total: number): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  try {
    const projectId = (await pool.query("SELECT id FROM project LIMIT 1")).rows[0].id as string;
    const ref = await resolveService(pool, projectId, {
      name: "scale-writer",
      environment: "",
      instance: "",
      version: "",
      host: "",
      attributes: {},
    });
    return rate(await timedSpanWriter(pool, spanRows(projectId, ref, spanSpecs(total, nowNs()))));
  } finally {
    await pool.end();
  }
}

/** p50 of trace-by-id reads of 200 stored traces (ms). */
async function traceById(databaseUrl: string): Promise<number> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const found = await pool.query<{ project_id: string; trace: string }>(
      "SELECT project_id, replace(trace_id::text, '-', '') AS trace FROM span LIMIT 200",
    );
    const times: number[] = [];
    for (const row of found.rows) {
      const started = performance.now();
      await spansOfTrace(pool, row.project_id, row.trace);
      times.push(performance.now() - started);
    }
    return quantile(times, 0.5);
  } finally {
    await pool.end();
  }
}

async function main() {
  if (!existsSync(new URL("../.next/BUILD_ID", import.meta.url))) {
    throw new Error("bench:scale starts the production build; run `npm run build` first");
  }
  const key = `vigil_ingest_scale_${randomBytes(12).toString("hex")}`;
  log("starting the cluster (3 replicas, HAProxy, primary + read replica, 2 shards, Redis)…");
  let cluster: Cluster | undefined;
  const single = await throwawayDatabase();
  try {
    cluster = await startCluster({ env: { VIGIL_INIT_INGEST_KEY: key } });
    const port = await freePort();
    const one = await startVigil(port, {
      PATH: env().PATH,
      DATABASE_URL: single.url,
      VIGIL_INIT_INGEST_KEY: key,
      VIGIL_AUTH_SECRET: randomBytes(32).toString("base64url"),
      VIGIL_DEMO: "0",
    });
    const singleTarget: Target = {
      name: "1 replica, 1 PostgreSQL",
      url: `http://127.0.0.1:${port}`,
      databaseUrl: single.url,
      servers: { vigil: one.child.pid ?? 0, postgres: await postmasterPid(single.url) },
    };
    const servers: Record<string, number> = {};
    for (const [i, replica] of cluster.replicas.entries())
      servers[`replica ${i + 1}`] = replica.process.child.pid ?? 0;
    servers.haproxy = childrenNamed("haproxy")[0] ?? 0;
    servers.redis = childrenNamed("redis-server")[0] ?? 0;
    servers.primary = await postmasterPid(cluster.databaseUrl);
    servers["read replica"] = await postmasterPid(cluster.readUrl);
    for (const [i, url] of cluster.shardUrls.entries())
      servers[`shard ${i + 1}`] = await postmasterPid(url);
    const clusterTarget: Target = {
      name: "HAProxy, 3 replicas, 2 shards",
      url: cluster.url,
      databaseUrl: cluster.databaseUrl,
      servers,
    };

    log(
      `\nspans (OTLP/HTTP protobuf, ${SPANS_PER_REQUEST} a request, ${concurrency} concurrent, ${seconds} s)`,
    );
    const spansOne = await phase(singleTarget, () => spanLoad(singleTarget, key), "spans");
    const spansCluster = await phase(clusterTarget, () => spanLoad(clusterTarget, key), "spans");
    log(`   cluster ÷ single: ${((spansCluster / spansOne) * 100).toFixed(0)} %`);
    log(`\nmetric points (${POINTS_PER_REQUEST} a request over 2,000 series)`);
    const pointsOne = await phase(singleTarget, () => metricLoad(singleTarget, key), "points");
    const pointsCluster = await phase(
      clusterTarget,
      () => metricLoad(clusterTarget, key),
      "points",
    );
    log(`   cluster ÷ single: ${((pointsCluster / pointsOne) * 100).toFixed(0)} %`);

    log("\nhops, each measured apart");
    const direct = await medianGet(`${cluster.replicas[0]?.url}/healthz`);
    const balanced = await medianGet(`${cluster.url}/healthz`);
    log(
      `   HAProxy: GET /healthz p50 ${direct.toFixed(2)} ms direct, ${balanced.toFixed(2)} ms through it (+${(balanced - direct).toFixed(2)} ms a request)`,
    );
    const writeOne = await writerAlone(single.url, 100_000);
    const writeSharded = await writerAlone(cluster.databaseUrl, 100_000);
    log(
      `   shards on write: the span writer alone ${fmt(writeOne)} spans/s into one PostgreSQL, ${fmt(writeSharded)} spans/s through the coordinator's foreign tables (${((writeSharded / writeOne) * 100).toFixed(0)} %)`,
    );
    const readOne = await traceById(single.url);
    const readSharded = await traceById(cluster.databaseUrl);
    log(
      `   shards on read: trace by id p50 ${readOne.toFixed(2)} ms on one PostgreSQL, ${readSharded.toFixed(2)} ms through the coordinator`,
    );
  } finally {
    await stopStartedVigils();
    await cluster?.stop();
    await single.stop();
  }
}

await main();
