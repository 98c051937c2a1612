import type { Redis } from "ioredis";
import { env } from "../env.ts";
import { createRedis, redisProblem } from "../lib/redis.ts";

/**
 * A real Redis for tests: REDIS_URL, else 127.0.0.1:6379 when it answers. When none is reachable
 * it prints why the calling tests are skipped and returns null (use with describe.skipIf).
 */
export async function redisForTests(file: string): Promise<Redis | null> {
  const url = env().REDIS_URL ?? "redis://127.0.0.1:6379";
  const client = createRedis(url);
  const problem = await redisProblem(client, 500);
  if (!problem) return client;
  client.disconnect();
  process.stdout.write(`${file}: Redis tests skipped: no Redis at ${url} (${problem})\n`);
  return null;
}
