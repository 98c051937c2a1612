import { Redis } from "ioredis";

/**
 * The machine's Redis (REDIS_URL, else 127.0.0.1:6379) for a test file, or null — with the
 * reason printed — when none answers, so the Redis cases can be left out.
 */
export async function redisForTest(file: string): Promise<Redis | null> {
  const redis = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379", {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  return redis.connect().then(
    () => redis,
    (error: Error) => {
      process.stdout.write(`${file}: Redis cases skipped: no Redis (${error.message})\n`);
      return null;
    },
  );
}
