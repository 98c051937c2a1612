import { parseArgs } from "node:util";
import { optionsFromEnv } from "../env.ts";
import { startVigil } from "../index.ts";
import type { Queryable } from "../probes/postgres.ts";
import { probeRedis } from "../probes/redis.ts";
import { probePostgresReplicas } from "../probes/replicas.ts";
import { probeShards } from "../probes/shards.ts";

export const USAGE = `Usage: vigil-agent probe [options]

Runs Vigil's probes and registers a service instance, for services not written in Node.js.
Endpoint, key and service also come from VIGIL_ENDPOINT, VIGIL_KEY and OTEL_SERVICE_NAME.

  --service <name>             the service the probes belong to
  --endpoint <url>             the control plane, e.g. http://vigil:3000
  --key <ingest key>           an ingest key
  --port <n>                   the port the service serves on (registered with its address)
  --address <host>             the address to register (default: this host's name)
  --tags <a,b>                 registry tags
  --redis <url>                probe a Redis (repeatable; name=url to set cache.name)
  --postgres-primary <url>     probe replica lag on a primary
  --postgres-replica <url>     probe replica lag on a replica (repeatable; name=url)
  --shard <id=url>             probe a PostgreSQL shard's size (repeatable)
  --shard-tables <a,b>         the sharded tables (default: every user table)
  --shard-store <name>         the sharded store's name (default "default")
  --interval <ms>              how often probes report (default 10000)`;

export type ProbeArgs = {
  options: ReturnType<typeof optionsFromEnv>;
  redis: Record<string, string>;
  primary: string | undefined;
  replicas: Record<string, string>;
  shards: Record<string, string>;
  shardTables: string[] | undefined;
  shardStore: string | undefined;
};

/** `name=url` pairs (or bare URLs, named `<prefix>-1`, `<prefix>-2`, …). */
function named(values: string[] | undefined, prefix: string): Record<string, string> {
  return Object.fromEntries(
    (values ?? []).map((value, i) => {
      const at = value.indexOf("=");
      const looksNamed = at > 0 && !value.slice(0, at).includes("://");
      return looksNamed ? [value.slice(0, at), value.slice(at + 1)] : [`${prefix}-${i + 1}`, value];
    }),
  );
}

export function parseProbeArgs(
  argv: string[],
): { ok: true; args: ProbeArgs } | { ok: false; problem: string } {
  let values: ReturnType<typeof parse>["values"];
  try {
    values = parse(argv).values;
  } catch (error) {
    return { ok: false, problem: error instanceof Error ? error.message : String(error) };
  }
  const list = (value: string | undefined) =>
    value
      ?.split(",")
      .map((item) => item.trim())
      .filter(Boolean);
  const env = optionsFromEnv();
  const args: ProbeArgs = {
    options: {
      ...env,
      service: values.service ?? env.service,
      endpoint: values.endpoint ?? env.endpoint,
      key: values.key ?? env.key,
      address: values.address ?? env.address,
      port: values.port === undefined ? env.port : Number(values.port),
      tags: list(values.tags) ?? env.tags,
      metricIntervalMs:
        values.interval === undefined ? env.metricIntervalMs : Number(values.interval),
    },
    redis: named(values.redis, "redis"),
    primary: values["postgres-primary"],
    replicas: named(values["postgres-replica"], "replica"),
    shards: named(values.shard, "shard"),
    shardTables: list(values["shard-tables"]),
    shardStore: values["shard-store"],
  };
  const probes =
    Object.keys(args.redis).length +
    Object.keys(args.replicas).length +
    Object.keys(args.shards).length;
  if (probes === 0 && !args.primary)
    return { ok: false, problem: "nothing to probe: give --redis, --postgres-*, or --shard" };
  return { ok: true, args };
}

function parse(argv: string[]) {
  const text = { type: "string" } as const;
  const many = { type: "string", multiple: true } as const;
  return parseArgs({
    args: argv,
    strict: true,
    options: {
      service: text,
      endpoint: text,
      key: text,
      port: text,
      address: text,
      tags: text,
      redis: many,
      "postgres-primary": text,
      "postgres-replica": many,
      shard: many,
      "shard-tables": text,
      "shard-store": text,
      interval: text,
    },
  });
}

/** Starts the agent (registry and export) with the probes; runs until SIGTERM or SIGINT. */
export async function runProbes(args: ProbeArgs, warn: (message: string) => void): Promise<void> {
  const agent = startVigil({ ...args.options, handleSigterm: false }, warn);
  if (!agent.active) process.exit(2);
  const clients: { close(): unknown }[] = [];

  if (Object.keys(args.redis).length > 0) {
    const { Redis } = await import("ioredis");
    for (const [name, url] of Object.entries(args.redis)) {
      const client = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1 });
      client.on("error", () => {}); // reported as missing readings, not crashes
      clients.push({ close: () => client.disconnect() });
      probeRedis(client, { name });
    }
  }
  const pools = new Map<string, Queryable>();
  if (
    args.primary ||
    Object.keys(args.replicas).length > 0 ||
    Object.keys(args.shards).length > 0
  ) {
    const { default: pg } = await import("pg");
    const pool = (url: string) => {
      const created = new pg.Pool({ connectionString: url, max: 1 });
      created.on("error", () => {});
      clients.push({ close: () => created.end() });
      return created;
    };
    const replicas = Object.fromEntries(
      Object.entries(args.replicas).map(([name, url]) => [name, pool(url)]),
    );
    if (args.primary || Object.keys(replicas).length > 0)
      probePostgresReplicas({ primary: args.primary ? pool(args.primary) : undefined, replicas });
    for (const [id, url] of Object.entries(args.shards)) pools.set(id, pool(url));
    if (pools.size > 0)
      probeShards({
        shards: Object.fromEntries(pools),
        tables: args.shardTables,
        store: args.shardStore,
      });
  }

  const stop = async () => {
    await agent.shutdown();
    for (const client of clients) await client.close();
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
}
