// bench:pgbouncer — does PgBouncer (Debian's, transaction pooling) between the replicas and
// PostgreSQL help? The same work straight to PostgreSQL and through PgBouncer, in the same run:
// a round trip, trace by id, the span writer, and three replicas' pools at once (what it is for:
// many client connections on few server connections).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { closeDatabase, connectDatabase } from "@vigil/db";
import { freePort } from "@vigil/db/embedded";
import { migrate } from "@vigil/db/migrations";
import { resolveService, spansOfTrace } from "@vigil/db/telemetry";
import pg from "pg";
import { startChildServer } from "../src/cluster/child-server.ts";
import { ensureDefaultProject } from "../src/domain/tenancy/projects.ts";
import { fmt, quantile, throwawayDatabase } from "./harness.ts";
import { type SpanSpec, spanSpecs } from "./span-bodies.ts";
import { spanRows, timedSpanWriter } from "./span-copy.ts";

const { values: args } = parseArgs({
  options: { spans: { type: "string", default: "100000" } },
});
const log = (line: string) => process.stdout.write(`${line}\n`);
const nowNs = () => BigInt(Date.now()) * 1_000_000n;

/** PgBouncer in front of `url`'s database on a free port; its URL and how to stop it. */
async function startPgBouncer(url: string) {
  const target = new URL(url);
  const dir = await mkdtemp(join(tmpdir(), "vigil-pgbouncer-"));
  const port = await freePort();
  const ini = join(dir, "pgbouncer.ini");
  await writeFile(
    ini,
    `[databases]
vigil = host=${target.hostname} port=${target.port} dbname=${target.pathname.slice(1)} user=${decodeURIComponent(target.username)} password=${decodeURIComponent(target.password)}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir =
auth_type = any
pool_mode = transaction
default_pool_size = 10
max_client_conn = 1000
`,
  );
  // PgBouncer refuses to run as root; it then runs as the user the embedded PostgreSQL runs as.
  const asUser = process.getuid?.() === 0 ? ["-u", "postgres"] : [];
  const bouncedUrl = `postgresql://vigil@127.0.0.1:${port}/vigil`;
  const server = await startChildServer("pgbouncer", [...asUser, ini], async () => {
    const client = new pg.Client({ connectionString: bouncedUrl });
    await client.connect();
    await client.end();
    return true;
  });
  return {
    url: bouncedUrl,
    stop: async () => {
      await server.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** p50 of `n` sequential runs of `fn` (ms). */
async function p50(n: number, fn: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await fn(i);
    times.push(performance.now() - started);
  }
  return quantile(times, 0.5);
}

/** Three replicas' pools of 10, 60 requests in flight: small queries a second. */
async function threeReplicas(url: string): Promise<number> {
  const pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url, max: 10 }));
  try {
    let done = 0;
    const until = performance.now() + 5_000;
    const worker = async (pool: pg.Pool) => {
      while (performance.now() < until) {
        await pool.query("SELECT count(*) FROM service WHERE project_id = $1", [
          "00000000-0000-0000-0000-000000000000",
        ]);
        done += 1;
      }
    };
    await Promise.all(pools.flatMap((pool) => Array.from({ length: 20 }, () => worker(pool))));
    return done / 5;
  } finally {
    await Promise.all(pools.map((pool) => pool.end()));
  }
}

async function measure(url: string, projectId: string, specs: SpanSpec[]) {
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  try {
    const ref = await resolveService(pool, projectId, {
      name: "bouncer-bench",
      environment: "",
      instance: "",
      version: "",
      host: "",
      attributes: {},
    });
    const written = await timedSpanWriter(pool, spanRows(projectId, ref, specs));
    const traces = specs.filter((spec) => !spec.parentSpanId).slice(0, 200);
    return {
      roundTrip: await p50(2000, () => pool.query("SELECT 1")),
      traceById: await p50(400, (i) =>
        spansOfTrace(pool, projectId, traces[i % traces.length]?.traceId.toString("hex") ?? ""),
      ),
      writer: (written.spans / written.ms) * 1000,
      replicas: await threeReplicas(url),
    };
  } finally {
    await pool.end();
  }
}

async function main() {
  const store = await throwawayDatabase();
  const bouncer = await startPgBouncer(store.url).catch(async (error) => {
    await store.stop();
    throw error;
  });
  try {
    await migrate({ connectionString: store.url });
    connectDatabase(store.url, { maxConnections: 2 });
    const { projectId } = await ensureDefaultProject();
    await closeDatabase();
    const total = Number(args.spans);
    // Each side twice, interleaved, each with spans of its own; the better run of each counts.
    const runs: { side: "direct" | "pgbouncer"; result: Awaited<ReturnType<typeof measure>> }[] =
      [];
    for (const side of ["direct", "pgbouncer", "direct", "pgbouncer"] as const) {
      const url = side === "direct" ? store.url : bouncer.url;
      runs.push({ side, result: await measure(url, projectId, spanSpecs(total, nowNs())) });
      log(`${side}: done`);
    }
    const best = (side: string, key: "roundTrip" | "traceById" | "writer" | "replicas") => {
      const values = runs.filter((run) => run.side === side).map((run) => run.result[key]);
      return key === "writer" || key === "replicas" ? Math.max(...values) : Math.min(...values);
    };
    log("");
    log("| measure | straight to PostgreSQL | through PgBouncer | ratio |");
    log("|---|---|---|---|");
    for (const [name, key, unit] of [
      ["round trip (`SELECT 1`), p50", "roundTrip", "ms"],
      ["trace by id, p50", "traceById", "ms"],
      [`span writer (${fmt(total)} spans, 2 writers)`, "writer", "spans/s"],
      ["3 replicas × pool 10, 60 queries in flight", "replicas", "queries/s"],
    ] as const) {
      const direct = best("direct", key);
      const bounced = best("pgbouncer", key);
      const show = (v: number) =>
        unit === "ms" ? `${v.toFixed(3)} ms` : `${fmt(Math.round(v))} ${unit}`;
      log(`| ${name} | ${show(direct)} | ${show(bounced)} | ${(bounced / direct).toFixed(2)} |`);
    }
  } finally {
    await bouncer.stop();
    await store.stop();
  }
}

await main();
