import { trace } from "@opentelemetry/api";
import { vigil } from "@vigil/agent";
import { LruCache } from "./lru.ts";

// Cache-aside: read the cache, on a miss load from the source of truth and fill the cache with
// a TTL. Every read counts as a hit or a miss in the agent's cache.requests, which is the cache
// hit rate Vigil shows. The store is Redis when there is one, else an in-process LRU. Each read
// is a span too, so a trace shows whether its request was served from the cache.

const tracer = trace.getTracer("vigil-demo-cache");

export type CacheStore = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Empties the cache (the "flush the cache" incident). */
  flush(): Promise<void>;
};

/** The subset of an ioredis client the store uses. */
export type RedisLike = {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, mode: "PX", ttlMs: number): Promise<unknown>;
  scan(
    cursor: string,
    match: "MATCH",
    pattern: string,
    count: "COUNT",
    n: number,
  ): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
};

export function redisStore(redis: RedisLike, prefix: string): CacheStore {
  return {
    get: (key) => redis.get(`${prefix}${key}`),
    set: async (key, value, ttlMs) => {
      await redis.set(`${prefix}${key}`, value, "PX", ttlMs);
    },
    flush: async () => {
      let cursor = "0";
      do {
        const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== "0");
    },
  };
}

export function memoryStore(maxEntries: number): CacheStore {
  const lru = new LruCache<string>(maxEntries);
  return {
    get: async (key) => lru.get(key) ?? null,
    set: async (key, value, ttlMs) => lru.set(key, value, ttlMs),
    flush: async () => lru.clear(),
  };
}

/** A cache-aside reader named `name` (the cache.name Vigil groups hit rates by). */
export function cacheAside<T>(options: {
  name: string;
  store: CacheStore;
  ttlMs: number;
  load: (key: string) => Promise<T | null>;
}) {
  const counts = vigil.cache(options.name);
  // ±50 % on every TTL, so entries filled together (a warm-up) do not all expire together.
  const ttl = () => Math.round(options.ttlMs * (0.5 + Math.random()));
  return {
    /** Fills the cache ahead of reads (a warm-up at start); not counted as a hit or a miss. */
    prime: (key: string, value: T) => options.store.set(key, JSON.stringify(value), ttl()),
    get: (key: string): Promise<T | null> =>
      tracer.startActiveSpan(`cache ${options.name} get`, async (span) => {
        span.setAttribute("cache.name", options.name);
        try {
          const cached = await options.store.get(key);
          span.setAttribute("cache.result", cached === null ? "miss" : "hit");
          if (cached !== null) {
            counts.hit();
            return JSON.parse(cached) as T;
          }
          counts.miss();
          const value = await options.load(key);
          if (value !== null) await options.store.set(key, JSON.stringify(value), ttl());
          return value;
        } finally {
          span.end();
        }
      }),
    flush: () => options.store.flush(),
  };
}
