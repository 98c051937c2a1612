import { Redis } from "ioredis";
import pg from "pg";
import { databaseUrl } from "../env.ts";
import { type EventBus, redisBus, tableBus } from "./event-bus.ts";
import { openConnections } from "./warm-up.ts";

/** The fleet's bus: Redis Streams with a REDIS_URL, else a table in the `events` database. */
export async function busFor(
  config: { redisUrl: string | null; primaryUrl: string },
  consumer: string,
): Promise<{ bus: EventBus; close(): Promise<void> }> {
  if (config.redisUrl) {
    const redis = new Redis(config.redisUrl);
    return { bus: redisBus(redis as never, consumer), close: async () => redis.disconnect() };
  }
  const pool = new pg.Pool({ connectionString: databaseUrl(config.primaryUrl, "events"), max: 4 });
  await openConnections(pool, 4);
  return { bus: await tableBus(pool), close: () => pool.end() };
}
