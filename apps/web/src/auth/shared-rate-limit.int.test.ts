import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedis } from "../lib/redis.ts";
import { redisForTests } from "../testing/redis.ts";
import { redisRateLimitStore } from "./shared-rate-limit.ts";

const SIGN_IN = { window: 60, max: 10 };

const realRedis = await redisForTests("shared-rate-limit.int.test");
describe.skipIf(!realRedis)("rate limits shared through Redis (real Redis)", () => {
  // Each "replica" has its own connection, as separate processes would.
  const url = `redis://${realRedis?.options.host}:${realRedis?.options.port}`;
  const replicas = [0, 1, 2].map(() => createRedis(url));
  beforeAll(() => Promise.all(replicas.map((client) => client.connect())));
  afterAll(() => {
    for (const client of [...replicas, realRedis]) client?.disconnect();
  });

  it("refuses the 11th sign-in of a minute whichever replica counts it, even all at once", async () => {
    const prefix = `test:${randomUUID()}:`;
    const stores = replicas.map((client) => redisRateLimitStore(client, { prefix }));
    // Ten attempts spread over the three replicas, sent together.
    const first = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        stores[i % 3]?.consume("203.0.113.9|/sign-in/email", SIGN_IN),
      ),
    );
    expect(first.every((d) => d?.allowed)).toBe(true);
    for (const store of stores) {
      const refused = await store.consume("203.0.113.9|/sign-in/email", SIGN_IN);
      expect(refused.allowed).toBe(false);
      expect(refused.retryAfter).toBeGreaterThan(0);
      expect(refused.retryAfter).toBeLessThanOrEqual(60);
    }
    // Another client address has its own count.
    expect((await stores[0]?.consume("198.51.100.4|/sign-in/email", SIGN_IN))?.allowed).toBe(true);
  });

  it("gives each counter the rule's window as its lifetime, from its first request", async () => {
    const prefix = `test:${randomUUID()}:`;
    const store = redisRateLimitStore(replicas[0] as (typeof replicas)[number], { prefix });
    await store.consume("k", SIGN_IN);
    const ttl = await replicas[1]?.pttl(`${prefix}k`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.consume("k", SIGN_IN);
    // A later request does not push the window's end out.
    expect(await replicas[1]?.pttl(`${prefix}k`)).toBeLessThanOrEqual(ttl as number);
  });
});

describe("rate limits while Redis does not answer", () => {
  it("count in the replica's own memory, and say so", async () => {
    const dead = createRedis("redis://127.0.0.1:1");
    const failures: unknown[] = [];
    const store = redisRateLimitStore(dead, { onFallback: (error) => failures.push(error) });
    const decisions = [];
    for (let i = 0; i < 11; i++)
      decisions.push(await store.consume("203.0.113.9|/sign-in/email", SIGN_IN));
    dead.disconnect();
    expect(decisions.map((d) => d.allowed)).toEqual([...Array(10).fill(true), false]);
    expect(failures).toHaveLength(11);
  });
});
