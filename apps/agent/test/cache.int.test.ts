import { cacheHitRates } from "@vigil/db/telemetry";
import { setupIngest } from "@vigil/web/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { agentEnv, ns, pool } from "./control-plane.ts";
import { eventually, type RunningService, startService } from "./helpers.ts";
import { startRedisServer } from "./redis-server.ts";

const plane = setupIngest();
const redisServer = await startRedisServer("cache.int.test.ts");
let service: RunningService;
let started: number;

const rates = async () =>
  cacheHitRates(pool(), plane.projectId, {
    fromNs: ns(started - 1000),
    toNs: ns(Date.now() + 1000),
  });

describe.skipIf(!redisServer)("cache hit rate from the agent", () => {
  beforeAll(async () => {
    started = Date.now();
    const seed = new Redis(redisServer?.url as string);
    await seed.set("user:1", "ada");
    seed.disconnect();
    service = await startService({
      ...agentEnv(plane, "sessions-api"),
      FIXTURE_REDIS_URL: redisServer?.url as string,
    });
  });
  afterAll(async () => {
    await service?.stop("SIGKILL");
    await redisServer?.stop();
  });

  it("matches the Redis hits and misses the service caused", async () => {
    // The probe's first reading is its baseline; wait for it before causing lookups.
    await eventually(
      async () => ((await rates()).some((rate) => rate.cache === "sessions") ? true : undefined),
      "the Redis probe's first report",
    );
    for (let i = 0; i < 6; i++) await fetch(`${service.url}/redis?key=user:1`);
    for (let i = 0; i < 2; i++) await fetch(`${service.url}/redis?key=user:404`);

    const sessions = await eventually(async () => {
      const rate = (await rates()).find((r) => r.cache === "sessions");
      return rate && rate.hits + rate.misses >= 8 ? rate : undefined;
    }, "8 Redis lookups");
    expect(sessions).toEqual({
      services: ["sessions-api"],
      cache: "sessions",
      hits: 6,
      misses: 2,
      hitRate: 0.75,
    });
  });

  it("matches the hits and misses counted with vigil.cache(...)", async () => {
    for (const key of ["hit-a", "hit-b", "hit-c", "nothing"])
      await fetch(`${service.url}/cache?key=${key}`);
    const local = await eventually(async () => {
      const rate = (await rates()).find((r) => r.cache === "local");
      return rate && rate.hits + rate.misses >= 4 ? rate : undefined;
    }, "4 lookups of the local cache");
    expect(local).toEqual({
      services: ["sessions-api"],
      cache: "local",
      hits: 3,
      misses: 1,
      hitRate: 0.75,
    });
  });
});
