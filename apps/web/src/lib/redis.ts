import { Redis } from "ioredis";
import { env } from "../env.ts";

const slot = Symbol.for("vigil.redis");
type Slot = { [slot]?: Redis | null };

/** The shared Redis client when REDIS_URL is set, else null: Redis is optional in Vigil. */
export function redis(): Redis | null {
  const holder = globalThis as Slot;
  if (holder[slot] === undefined) {
    const url = env().REDIS_URL;
    holder[slot] = url ? createRedis(url) : null;
  }
  return holder[slot];
}

export function createRedis(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 2,
    enableOfflineQueue: true,
  });
  // Connection errors surface in the commands that fail (and in /readyz), not as crashes.
  client.on("error", () => {});
  return client;
}

/** Connects the shared client, if REDIS_URL is set; a failure is logged, not thrown. */
export async function connectRedis(log: { warn(object: object, message: string): void }) {
  const client = redis();
  if (client?.status !== "wait") return;
  await client.connect().catch((error: unknown) => {
    log.warn({ err: error }, "Redis is not reachable yet; Vigil runs on without it meanwhile");
  });
}

export async function closeRedis(): Promise<void> {
  const holder = globalThis as Slot;
  const client = holder[slot];
  holder[slot] = undefined;
  if (client) await client.quit().catch(() => client.disconnect());
}

/** Round trip to Redis for readiness: null when healthy, else what went wrong. */
export async function redisProblem(client: Redis, timeoutMs = 1000): Promise<string | null> {
  const timeout = new Promise<string>((resolve) =>
    setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs).unref(),
  );
  const ping = client.ping().then(
    (reply) => (reply === "PONG" ? null : `unexpected reply ${reply}`),
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  return Promise.race([ping, timeout]);
}
