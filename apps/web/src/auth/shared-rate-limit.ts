import type { Redis } from "ioredis";

// better-auth's rate limits, shared by every replica through Redis: one counter per client and
// rule, counted and checked in one step (a Lua script), so neither a second replica nor a burst
// of simultaneous requests gets past the limit. Fixed windows, like better-auth's own stores.
// While Redis cannot answer (or is not connected yet), each replica counts in its own memory:
// limits then hold per replica instead of across the cluster, and sign-in keeps working.

const CONSUME = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

type Rule = { window: number; max: number };
type Decision = { allowed: boolean; retryAfter: number | null };
export type RateLimitStore = { consume(key: string, rule: Rule): Promise<Decision> };

const decide = (count: number, ttlMs: number, rule: Rule): Decision =>
  count <= rule.max
    ? { allowed: true, retryAfter: null }
    : { allowed: false, retryAfter: Math.max(1, Math.ceil(ttlMs / 1000)) };

/** Fixed-window counters in this process, dropped once their window has passed. */
function memoryCounters() {
  const windows = new Map<string, { count: number; endsAt: number }>();
  return (key: string, rule: Rule, now = Date.now()): Decision => {
    if (windows.size > 10_000) {
      for (const [k, w] of windows) if (w.endsAt <= now) windows.delete(k);
    }
    let current = windows.get(key);
    if (!current || current.endsAt <= now) {
      current = { count: 0, endsAt: now + rule.window * 1000 };
      windows.set(key, current);
    }
    current.count += 1;
    return decide(current.count, current.endsAt - now, rule);
  };
}

/**
 * A better-auth rate-limit store on Redis (`prefix` keeps its keys apart), counting in memory
 * while Redis fails; `onFallback` hears each failure.
 */
export function redisRateLimitStore(
  client: Redis,
  options: { prefix?: string; onFallback?: (error: unknown) => void } = {},
): RateLimitStore {
  const prefix = options.prefix ?? "vigil:rate:";
  const local = memoryCounters();
  return {
    async consume(key, rule) {
      // A request never waits on Redis reconnecting: until it is ready, count here.
      if (client.status !== "ready") {
        if (client.status === "wait") client.connect().catch(() => {});
        options.onFallback?.(new Error(`Redis is ${client.status}`));
        return local(key, rule);
      }
      try {
        const [count, ttlMs] = (await client.eval(
          CONSUME,
          1,
          `${prefix}${key}`,
          String(rule.window * 1000),
        )) as [number, number];
        return decide(count, ttlMs, rule);
      } catch (error) {
        options.onFallback?.(error);
        return local(key, rule);
      }
    },
  };
}
