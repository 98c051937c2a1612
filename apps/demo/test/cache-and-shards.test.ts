import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import {
  type CacheStore,
  cacheAside,
  memoryStore,
  redisStore,
} from "../src/platform/cache-aside.ts";
import { ShardRouter } from "../src/platform/shard-router.ts";
import { redisForTest } from "./redis.ts";

// Cache-aside against both stores (Redis: the machine's, when it answers), and shard routing.

const redis = await redisForTest("cache-and-shards.test");
afterAll(() => redis?.disconnect());

const stores: [string, () => CacheStore][] = [["memory", () => memoryStore(100)]];
if (redis)
  stores.push([
    "redis",
    () => redisStore(redis, `vigil-demo-test:${randomBytes(4).toString("hex")}:`),
  ]);

describe.each(stores)("cache-aside over the %s store", (_name, makeStore) => {
  /** A users cache over a fresh store, and the ids it had to load from "the database". */
  const usersCache = () => {
    const loads: string[] = [];
    const users = cacheAside({
      name: "users",
      store: makeStore(),
      ttlMs: 60_000,
      load: async (id) => {
        loads.push(id);
        return id === "missing" ? null : { id, name: `user ${id}` };
      },
    });
    return { users, loads };
  };

  it("loads once, serves hits from the cache, and loads again after a flush", async () => {
    const { users, loads } = usersCache();
    expect(await users.get("1")).toEqual({ id: "1", name: "user 1" });
    expect(await users.get("1")).toEqual({ id: "1", name: "user 1" });
    expect(await users.get("missing")).toBeNull();
    expect(await users.get("missing")).toBeNull();
    await users.flush();
    await users.get("1");
    expect(loads).toEqual(["1", "missing", "missing", "1"]);
  });

  it("serves a primed entry without loading it", async () => {
    const { users, loads } = usersCache();
    await users.prime("7", { id: "7", name: "warmed" });
    expect(await users.get("7")).toEqual({ id: "7", name: "warmed" });
    expect(loads).toEqual([]);
  });
});

describe("the shard router", () => {
  it("keeps a user on one shard, spreads users, and can send a hot tenant to one shard", () => {
    const router = new ShardRouter("orders", ["shard-a", "shard-b"]);
    expect(router.route("user-1")).toBe(router.route("user-1"));
    const spread = new Set(Array.from({ length: 50 }, (_, i) => router.route(`user-${i}`)));
    expect(spread).toEqual(new Set(["shard-a", "shard-b"]));
    router.setHotTenant({ tenant: "acme", shard: "shard-b" });
    expect(
      new Set(Array.from({ length: 20 }, (_, i) => router.route(`user-${i}`, "acme"))),
    ).toEqual(new Set(["shard-b"]));
    expect(() => router.setHotTenant({ tenant: "acme", shard: "shard-z" })).toThrow(
      "no shard named shard-z",
    );
    expect(() => new ShardRouter("orders", [])).toThrow(/at least one shard/);
  });
});
