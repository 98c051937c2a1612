import type { BatchObservableResult } from "@opentelemetry/api";
import { addProbe, type Probe, withinTime } from "./attach.ts";

/** What the probe needs of a Redis client (ioredis's `info` fits). */
export type RedisInfoClient = { info(section: string): Promise<string> };

export type RedisProbeOptions = {
  /** `cache.name` on the metrics, to tell caches apart (default "redis"). */
  name?: string;
};

/** Fields of an INFO reply as numbers. */
export function parseInfo(text: string): Map<string, number> {
  const fields = new Map<string, number>();
  for (const line of text.split("\n")) {
    const at = line.indexOf(":");
    if (at <= 0) continue;
    const value = Number(line.slice(at + 1).trim());
    if (Number.isFinite(value)) fields.set(line.slice(0, at), value);
  }
  return fields;
}

/**
 * Reads `INFO stats` and `INFO memory` through the service's own client whenever metrics are
 * collected: `redis.keyspace.hits`/`misses` and `redis.keys.evicted` (counted from when the probe
 * started, so totals from before do not read as a burst), `redis.memory.used` and
 * `redis.maxmemory`.
 */
export function probeRedis(client: RedisInfoClient, options: RedisProbeOptions = {}): Probe {
  const attributes = { "cache.name": options.name ?? "redis" };
  const counters = ["keyspace_hits", "keyspace_misses", "evicted_keys"] as const;
  let baseline: Map<string, number> | null = null;
  const read = async () => {
    const [stats, memory] = await Promise.all([client.info("stats"), client.info("memory")]);
    return parseInfo(`${stats}\n${memory}`);
  };
  const ready = withinTime(read()).then((fields) => {
    baseline ??= fields;
  });

  return addProbe((meter) => {
    const hits = meter.createObservableCounter("redis.keyspace.hits", { unit: "1" });
    const misses = meter.createObservableCounter("redis.keyspace.misses", { unit: "1" });
    const evicted = meter.createObservableCounter("redis.keys.evicted", { unit: "1" });
    const used = meter.createObservableGauge("redis.memory.used", { unit: "By" });
    const max = meter.createObservableGauge("redis.maxmemory", { unit: "By" });
    const observables = [hits, misses, evicted, used, max];
    const observe = async (result: BatchObservableResult) => {
      await ready;
      const fields = await withinTime(read());
      if (!fields) return;
      // A counter below its baseline means Redis restarted: count from zero again.
      if (
        !baseline ||
        counters.some((name) => (fields.get(name) ?? 0) < (baseline?.get(name) ?? 0))
      )
        baseline = new Map(counters.map((name) => [name, 0]));
      const since = (name: string) => (fields.get(name) ?? 0) - (baseline?.get(name) ?? 0);
      result.observe(hits, since("keyspace_hits"), attributes);
      result.observe(misses, since("keyspace_misses"), attributes);
      result.observe(evicted, since("evicted_keys"), attributes);
      result.observe(used, fields.get("used_memory") ?? 0, attributes);
      result.observe(max, fields.get("maxmemory") ?? 0, attributes);
    };
    meter.addBatchObservableCallback(observe, observables);
    return () => meter.removeBatchObservableCallback(observe, observables);
  });
}
