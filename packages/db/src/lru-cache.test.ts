import { describe, expect, it } from "vitest";
import { LruCache } from "./lru-cache.ts";

describe("LruCache", () => {
  it("forgets the least recently used entry when full, one at a time", () => {
    const cache = new LruCache<string, number>(3);
    cache.set("a", 1);
    cache.set("b", 2);
    cache.set("c", 3);
    expect(cache.get("a")).toBe(1); // a is now the most recently used
    cache.set("d", 4);
    expect(cache.get("b")).toBeUndefined();
    expect([cache.get("a"), cache.get("c"), cache.get("d")]).toEqual([1, 3, 4]);
    expect(cache.size).toBe(3);
  });

  it("keeps a key that is read between every write, however many writes pass", () => {
    const cache = new LruCache<string, number>(4);
    cache.set("hot", 0);
    for (let i = 0; i < 50; i++) {
      cache.set(`cold-${i}`, i);
      expect(cache.get("hot")).toBe(0);
    }
    expect(cache.get("cold-45")).toBeUndefined(); // the cold ones went, oldest first
    expect(cache.get("cold-49")).toBe(49);
    expect(cache.size).toBe(4);
  });
});
