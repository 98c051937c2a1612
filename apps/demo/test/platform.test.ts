import { describe, expect, it } from "vitest";
import { Balancer } from "../src/platform/balancer.ts";
import { LruCache } from "../src/platform/lru.ts";

describe("the in-process LRU cache", () => {
  it("drops the least recently used entry and expires entries after their TTL", () => {
    let now = 0;
    const cache = new LruCache<string>(2, () => now);
    cache.set("a", "A", 1000);
    cache.set("b", "B", 1000);
    expect(cache.get("a")).toBe("A"); // a is now the most recently used
    cache.set("c", "C", 1000);
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual(["A", undefined, "C"]);
    now = 1000;
    expect(cache.get("a")).toBeUndefined();
    expect(() => new LruCache(0)).toThrow(/maxEntries/);
  });
});

describe("the balancer", () => {
  const instances = [
    { id: "a", address: "127.0.0.1", port: 1 },
    { id: "b", address: "127.0.0.1", port: 2 },
  ];
  it("takes turns with round-robin", () => {
    const balancer = new Balancer(() => instances);
    expect([1, 2, 3, 4].map(() => balancer.pick()?.id)).toEqual(["a", "b", "a", "b"]);
    expect(new Balancer(() => []).pick()).toBeNull();
  });
  it("sends to the instance with fewest requests in flight with least-connections", async () => {
    const balancer = new Balancer(() => instances, "least-connections");
    let finish: () => void = () => {};
    const slow = balancer.send(
      instances[0] as never,
      () => new Promise<void>((resolve) => (finish = resolve)),
    );
    expect([balancer.pick()?.id, balancer.pick()?.id]).toEqual(["b", "b"]);
    finish();
    await slow;
    expect(balancer.inFlight("a")).toBe(0);
    expect(balancer.pick()?.id).toBe("a");
  });
});
