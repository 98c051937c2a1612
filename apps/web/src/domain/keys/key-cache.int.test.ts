import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "../../lib/redis.ts";
import { redisForTests } from "../../testing/redis.ts";
import { keyCache, type StoredKey } from "./key-cache.ts";

const realRedis = await redisForTests("key-cache.int.test");
const KEY: StoredKey = {
  id: "key-1",
  projectId: "project-1",
  scope: "ingest",
  revoked: false,
  lastUsedAt: null,
};

/** A loader that counts its calls and answers `key`. */
function loader(key: StoredKey | null) {
  const calls = { n: 0 };
  const load = async () => {
    calls.n += 1;
    return key;
  };
  return { calls, load };
}

describe.skipIf(!realRedis)("API-key lookups shared through Redis (real Redis)", () => {
  // Two "replicas", each with its own connection.
  const url = `redis://${realRedis?.options.host}:${realRedis?.options.port}`;
  const clients = [createRedis(url), createRedis(url)];
  beforeAll(() => Promise.all(clients.map((client) => client.connect())));
  afterAll(() => {
    for (const client of [...clients, realRedis]) client?.disconnect();
  });
  const caches = (prefix = `test:${randomUUID()}:`) => clients.map((c) => keyCache(c, prefix));

  it("reads the database once for every replica, then answers from Redis", async () => {
    const [a, b] = caches();
    const { calls, load } = loader(KEY);
    expect(await a?.lookup("h", load)).toEqual(KEY);
    expect(await b?.lookup("h", load)).toEqual(KEY);
    expect(await a?.lookup("h", load)).toEqual(KEY);
    expect(calls.n).toBe(1);
  });

  it("does not cache unknown keys", async () => {
    const [a, b] = caches();
    const { calls, load } = loader(null);
    expect(await a?.lookup("h", load)).toBeNull();
    expect(await b?.lookup("h", load)).toBeNull();
    expect(calls.n).toBe(2);
  });

  it("refuses a revoked key on every replica at once, even when a lookup raced the revocation", async () => {
    const [a, b] = caches();
    await a?.lookup("h", loader(KEY).load);
    await a?.revoke("h", KEY);
    expect(await b?.lookup("h", loader(KEY).load)).toMatchObject({ revoked: true });

    // A lookup reads the database before the revocation and writes after it: its stale answer
    // does not replace the revoked entry.
    const [c, d] = caches();
    const answer = Promise.withResolvers<StoredKey>();
    const reading = Promise.withResolvers<void>();
    const slow = c?.lookup("h", () => {
      reading.resolve();
      return answer.promise;
    });
    await reading.promise; // it missed in Redis and is reading the database
    await d?.revoke("h", KEY);
    answer.resolve(KEY);
    expect(await slow).toEqual(KEY); // that request still got the answer it read
    expect(await c?.lookup("h", loader(KEY).load)).toMatchObject({ revoked: true });
    expect(await c?.lookup("h", loader(KEY).load)).toMatchObject({ revoked: true });
  });

  it("records a key's use once a minute across the replicas", async () => {
    const [a, b] = caches();
    expect(await a?.firstUseThisMinute("key-1")).toBe(true);
    expect(await b?.firstUseThisMinute("key-1")).toBe(false);
    expect(await a?.firstUseThisMinute("key-2")).toBe(true);
  });
});

describe("API-key lookups without Redis", () => {
  it("read the database every time and leave recording uses to the caller", async () => {
    const cache = keyCache(null);
    const { calls, load } = loader(KEY);
    await cache.lookup("h", load);
    await cache.lookup("h", load);
    expect(calls.n).toBe(2);
    expect(await cache.firstUseThisMinute("key-1")).toBeNull();
  });
});
