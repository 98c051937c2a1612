import type { Instrumentation } from "@opentelemetry/instrumentation";
import { inactive, runAgent, type VigilHandle } from "./agent.ts";
import { checkOptions, type VigilOptions } from "./config.ts";
import type { HealthStatus } from "./registry/registration.ts";
import { business } from "./signals/business.ts";
import { cache } from "./signals/cache.ts";
import { shardRequest } from "./signals/shards.ts";

export type { VigilHandle } from "./agent.ts";
export type { VigilOptions } from "./config.ts";
export { optionsFromEnv } from "./env.ts";
export type { Probe } from "./probes/attach.ts";
export type { Queryable } from "./probes/postgres.ts";
export { probeRedis, type RedisInfoClient, type RedisProbeOptions } from "./probes/redis.ts";
export { probePostgresReplicas, type ReplicaProbeOptions } from "./probes/replicas.ts";
export { probeShards, type ShardProbeOptions, type ShardSize } from "./probes/shards.ts";
export type { HealthStatus } from "./registry/registration.ts";
export type { CacheCounter } from "./signals/cache.ts";

const VERSION = "0.1.0";
let current: VigilHandle = inactive;

export type StartOptions = Partial<VigilOptions> & {
  /** Instrumentations beyond the default set, e.g. `new GraphQLInstrumentation()`. */
  instrumentations?: Instrumentation[];
};

/**
 * Starts the agent: traces and metrics to the control plane, this instance in the registry, and
 * any probes. With unusable options it warns once and returns a handle that does nothing; it
 * never throws into the service. A second call returns the running agent.
 */
export function startVigil(
  options?: StartOptions,
  warn: (message: string) => void = defaultWarn,
): VigilHandle {
  if (current.active) return current;
  try {
    const checked = checkOptions(options);
    if (!checked.ok) {
      warn(`[vigil] agent disabled: ${checked.problem}`);
      return inactive;
    }
    const handle = runAgent(checked.settings, options?.instrumentations ?? [], VERSION, warn);
    current = {
      ...handle,
      shutdown: () =>
        handle.shutdown().finally(() => {
          current = inactive;
        }),
    };
    return current;
  } catch (error) {
    warn(`[vigil] agent disabled: ${error instanceof Error ? error.message : String(error)}`);
    return inactive;
  }
}

/**
 * What a service reports from anywhere in its code, whether or not the agent is running (before
 * it starts, or when it is disabled, these do nothing).
 */
export const vigil = {
  health: {
    set(status: HealthStatus, output?: string): void {
      current.health.set(status, output);
    },
  },
  /** Hit and miss counts for a cache: `vigil.cache("users").hit()`, or `.wrap(get)`. */
  cache,
  /** Business metrics under `business.`: `count`, `add`, `gauge`. */
  business,
  /** Counts a request routed to a shard, for shard balance. */
  shard: { request: shardRequest },
};

function defaultWarn(message: string): void {
  process.emitWarning(message, { code: "VIGIL_AGENT" });
}
