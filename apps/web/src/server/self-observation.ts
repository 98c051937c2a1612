// Vigil observing itself (VIGIL_SELF_OBSERVE=1): each replica runs the agent Vigil's users embed,
// sending to its own OTLP and registry endpoints under a "Vigil" project, so the replicas, their
// Redis, the read replica and the shards appear on the Overview panels users see for their apps.
import { hostname } from "node:os";
import {
  type Probe,
  probePostgresReplicas,
  probeRedis,
  probeShards,
  startVigil,
} from "@vigil/agent";
import { db, isUniqueViolation } from "@vigil/db";
import pg from "pg";
import type { Logger } from "pino";
import { registerKnownKey } from "../domain/keys/api-keys.ts";
import { derivedKey } from "../domain/keys/key-material.ts";
import { ensureDefaultProject } from "../domain/tenancy/projects.ts";
import { redis } from "../lib/redis.ts";

export const SELF_PROJECT_SLUG = "vigil";
const SELF_SERVICE = "vigil";
const KEY_PURPOSE = "vigil self-observation ingest key";

export type SelfObservationOptions = {
  /** The session secret every replica shares: the project's ingest key is derived from it. */
  authSecret: string;
  /** Where this replica listens. */
  host: string;
  port: number;
  /** The shard servers' URLs (VIGIL_SHARDS), measured for shard balance. */
  shardUrls: string[];
  log: Logger;
};

/** The "Vigil" project in the default organisation (replicas starting together agree on one). */
async function ensureSelfProject(): Promise<string> {
  const { organizationId } = await ensureDefaultProject();
  const where = { organizationId_slug: { organizationId, slug: SELF_PROJECT_SLUG } };
  const upsert = () =>
    db().prisma.project.upsert({
      where,
      update: {},
      create: { organizationId, name: "Vigil", slug: SELF_PROJECT_SLUG },
      select: { id: true },
    });
  const project = await upsert().catch((error: unknown) => {
    if (isUniqueViolation(error)) return upsert();
    throw error;
  });
  return project.id;
}

/** The address this replica's agent sends to: itself, over loopback when it listens on all. */
function ownEndpoint(host: string, port: number): string {
  const any = host === "0.0.0.0" || host === "::" || host === "";
  const name = any ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  return `http://${name}:${port}`;
}

/**
 * Starts this replica's agent and probes; returns how to stop them (flush, deregister, close),
 * to run while the server still answers.
 */
export async function startSelfObservation(
  options: SelfObservationOptions,
): Promise<() => Promise<void>> {
  const log = options.log.child({ component: "self-observation" });
  const projectId = await ensureSelfProject();
  const key = derivedKey("ingest", options.authSecret, KEY_PURPOSE);
  const registered = await registerKnownKey({
    projectId,
    name: "Vigil's own telemetry",
    scope: "ingest",
    secret: key,
  });
  if (registered.revoked) {
    log.warn("the Vigil project's ingest key was revoked; Vigil does not observe itself");
    return async () => {};
  }
  const agent = startVigil(
    {
      service: SELF_SERVICE,
      endpoint: ownEndpoint(options.host, options.port),
      key,
      instanceId: `${hostname()}:${options.port}`,
      port: options.port,
      tracesPerSecond: 10,
    },
    (message) => log.warn(message),
  );

  const shardPools = options.shardUrls.map(
    (url) => new pg.Pool({ connectionString: url, max: 1, application_name: "vigil-probe" }),
  );
  for (const pool of shardPools) pool.on("error", () => {});
  const client = redis();
  const probes: Probe[] = [
    probePostgresReplicas({ primary: db().pool }),
    ...(client ? [probeRedis(client, { name: "vigil-redis" })] : []),
    ...(shardPools.length
      ? [
          probeShards({
            store: "vigil-telemetry",
            shards: Object.fromEntries(shardPools.map((pool, i) => [`shard-${i}`, pool])),
          }),
        ]
      : []),
  ];
  log.info({ projectId, instance: `${hostname()}:${options.port}` }, "Vigil observes itself");
  return async () => {
    for (const probe of probes) probe.stop();
    await agent.shutdown();
    await Promise.all(shardPools.map((pool) => pool.end()));
  };
}
