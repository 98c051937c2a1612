import { fileURLToPath } from "node:url";

// Everything the demo reads from its environment, checked once. The fleet gets these from
// `npm start` (or from whoever runs it by hand); each service instance inherits them.

export const SERVICES = ["gateway", "users", "products", "orders", "payments"] as const;
export type ServiceName = (typeof SERVICES)[number];

export type DemoConfig = {
  /** Vigil's URL and an ingest key of the demo project (also the discovery token). */
  endpoint: string;
  key: string;
  /** The fleet's own PostgreSQL primary and its streaming replica (superuser URLs). */
  primaryUrl: string;
  replicaUrl: string;
  /** Redis for the cache and the event bus; without it, an in-process LRU and a table. */
  redisUrl: string | null;
  /** Where the fleet serves its incident switches and its webhook receiver (127.0.0.1). */
  controlPort: number;
  /** The whsec_ secret the demo receiver checks Vigil's webhook signatures with. */
  webhookSecret: string | null;
  /** Instances per service. */
  instances: number;
};

export class ConfigError extends Error {}

export function readConfig(env: NodeJS.ProcessEnv = process.env): DemoConfig {
  const problems: string[] = [];
  const url = (name: string, protocols: string[]): string => {
    const value = env[name] ?? "";
    try {
      if (protocols.includes(new URL(value).protocol)) return value;
    } catch {}
    problems.push(`${name} must be a ${protocols.map((p) => `${p}//`).join(" or ")} URL`);
    return "";
  };
  const config: DemoConfig = {
    endpoint: url("VIGIL_ENDPOINT", ["http:", "https:"]),
    key: env.VIGIL_KEY ?? "",
    primaryUrl: url("DEMO_PRIMARY_URL", ["postgres:", "postgresql:"]),
    replicaUrl: url("DEMO_REPLICA_URL", ["postgres:", "postgresql:"]),
    redisUrl: env.REDIS_URL ? url("REDIS_URL", ["redis:", "rediss:"]) : null,
    controlPort: Number(env.DEMO_CONTROL_PORT ?? 0),
    webhookSecret: env.DEMO_WEBHOOK_SECRET || null,
    instances: Number(env.DEMO_INSTANCES ?? 2),
  };
  if (!config.key) problems.push("VIGIL_KEY must be an ingest key of the demo project");
  if (!Number.isInteger(config.controlPort) || config.controlPort < 0 || config.controlPort > 65535)
    problems.push("DEMO_CONTROL_PORT must be a port number");
  if (!Number.isInteger(config.instances) || config.instances < 1 || config.instances > 5)
    problems.push("DEMO_INSTANCES must be a whole number from 1 to 5");
  if (problems.length > 0) throw new ConfigError(`demo: ${problems.join("; ")}`);
  return config;
}

/** Which service an instance process runs, and its id (the fleet sets both). */
export function instanceIdentity(env: NodeJS.ProcessEnv = process.env) {
  const service = env.OTEL_SERVICE_NAME as ServiceName;
  if (!SERVICES.includes(service))
    throw new ConfigError(`demo: OTEL_SERVICE_NAME must be one of ${SERVICES.join(", ")}`);
  return { service, instance: env.VIGIL_INSTANCE_ID ?? `${service}-${process.pid}` };
}

/** What the fleet passes on to its instances: its own environment. */
export function inheritedEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...env };
}

/** Vigil's data folder, where `npm start` notes the running fleet's address (for the CLI). */
export function dataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.VIGIL_DATA_DIR ?? fileURLToPath(new URL("../../../.vigil", import.meta.url));
}

/** The URL of one of the fleet's databases on the server `serverUrl` points at. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
