import { chmod, mkdtemp, rm } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  ensureDatabase,
  freePort,
  type ReplicatedPair,
  startEmbeddedPostgres,
  startReplicatedPair,
} from "@vigil/db/embedded";
import { env } from "../env.ts";
import { startVigil, type VigilProcess } from "../testing/vigil-process.ts";
import { type ChildServer, startChildServer } from "./child-server.ts";

// Vigil past one machine, on one machine: HAProxy (deploy/haproxy/vigil.cfg) in front of three
// control-plane replicas that share a PostgreSQL primary, read from its streaming replica, spread
// telemetry over shard servers (VIGIL_SHARDS) and count rate limits in one Redis, each server on
// a free port, each replica observing itself into a "Vigil" project. `npm run cluster` starts it
// for people; cluster.int.test.ts kills replicas behind it.

const HAPROXY_CFG = fileURLToPath(new URL("../../../../deploy/haproxy/vigil.cfg", import.meta.url));

export type Replica = { port: number; url: string; process: VigilProcess };

export type Cluster = {
  /** The load balancer: where people, agents and OTLP exporters point. */
  url: string;
  replicas: Replica[];
  databaseUrl: string;
  readUrl: string;
  /** The shard servers' databases. */
  shardUrls: string[];
  redisUrl: string;
  /** SIGKILLs replica `i` and waits for it to exit. */
  kill(i: number): Promise<void>;
  /** Starts replica `i` again on its port. */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
};

export type ClusterOptions = {
  /** Variables every replica gets besides the cluster's own (VIGIL_INIT_*, say). */
  env?: Record<string, string>;
  /** How often followers try to take over background jobs (ms). */
  leaderRetryMs?: number;
  /** How many PostgreSQL servers hold the telemetry, besides the primary (2; 0 for none). */
  shards?: number;
};

const REPLICAS = 3;
const AUTH_SECRET_BYTES = 32;

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.end();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const dir = await mkdtemp(join(tmpdir(), "vigil-cluster-"));
  await chmod(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user, which must enter it
  const cleanups: (() => Promise<void>)[] = [() => rm(dir, { recursive: true, force: true })];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => {});
  };
  try {
    const pair: ReplicatedPair = await startReplicatedPair(join(dir, "pg"), "vigil-reads", {
      durableCommits: true,
    });
    cleanups.push(pair.stop);
    await ensureDatabase(pair.primary.adminUrl, "vigil");
    const databaseUrl = pair.primary.urlFor("vigil");
    const readUrl = pair.replica.urlFor("vigil");
    const shardUrls: string[] = [];
    for (let i = 0; i < (options.shards ?? 2); i++) {
      const shard = await startEmbeddedPostgres({
        dataDir: join(dir, `shard-${i}`),
        persistent: false,
      });
      cleanups.push(shard.stop);
      await ensureDatabase(shard.adminUrl, "vigil");
      shardUrls.push(shard.urlFor("vigil"));
    }

    const redisPort = await freePort();
    const redis: ChildServer = await startChildServer(
      "redis-server",
      ["--port", String(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
      () => listening(redisPort),
    );
    cleanups.push(redis.stop);
    const redisUrl = `redis://127.0.0.1:${redisPort}`;

    const lbPort = await freePort();
    const url = `http://127.0.0.1:${lbPort}`;
    const ports = await Promise.all(Array.from({ length: REPLICAS }, () => freePort()));
    const secret = Buffer.from(crypto.getRandomValues(new Uint8Array(AUTH_SECRET_BYTES))).toString(
      "base64url",
    );
    const startReplica = (port: number) =>
      startVigil(port, {
        PATH: env().PATH,
        DATABASE_URL: databaseUrl,
        DATABASE_READ_URL: readUrl,
        REDIS_URL: redisUrl,
        ...(shardUrls.length ? { VIGIL_SHARDS: shardUrls.join(",") } : {}),
        VIGIL_AUTH_SECRET: secret,
        VIGIL_PUBLIC_URL: url,
        VIGIL_TRUSTED_PROXIES: "127.0.0.1",
        VIGIL_DEMO: "0",
        // Each replica's own agent sends to a "Vigil" project: the cluster on its own Overview.
        VIGIL_SELF_OBSERVE: "1",
        ...(options.leaderRetryMs ? { VIGIL_LEADER_RETRY_MS: String(options.leaderRetryMs) } : {}),
        ...options.env,
      });
    // The first replica migrates the database; the others then start side by side.
    const first = await startReplica(ports[0] as number);
    const rest = await Promise.all(ports.slice(1).map(startReplica));
    const replicas: Replica[] = [first, ...rest].map((process, i) => ({
      port: ports[i] as number,
      url: `http://127.0.0.1:${ports[i]}`,
      process,
    }));
    cleanups.push(async () => {
      await Promise.all(
        replicas.map(async ({ process }) => {
          if (process.child.exitCode !== null || process.child.signalCode !== null) return;
          process.child.kill("SIGTERM");
          await process.exited;
        }),
      );
    });

    const haproxy = await startChildServer(
      "haproxy",
      ["-db", "-f", HAPROXY_CFG],
      async () => (await fetch(`${url}/readyz`)).status === 200,
      {
        VIGIL_LB_BIND: `127.0.0.1:${lbPort}`,
        ...Object.fromEntries(
          ports.map((port, i) => [`VIGIL_REPLICA_${i + 1}`, `127.0.0.1:${port}`]),
        ),
      },
    );
    cleanups.push(haproxy.stop);

    return {
      url,
      replicas,
      databaseUrl,
      readUrl,
      shardUrls,
      redisUrl,
      async kill(i) {
        const replica = replicas[i];
        if (!replica) throw new Error(`no replica ${i}`);
        replica.process.child.kill("SIGKILL");
        await replica.process.exited;
      },
      async restart(i) {
        const replica = replicas[i];
        if (!replica) throw new Error(`no replica ${i}`);
        replica.process = await startReplica(replica.port);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
