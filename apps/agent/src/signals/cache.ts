import { counter } from "./instruments.ts";

export type CacheCounter = {
  hit(): void;
  miss(): void;
  /**
   * Wraps a cache read: a result of `undefined` or `null` counts as a miss, anything else as a
   * hit. Works for sync and async functions; errors pass through uncounted.
   */
  wrap<Args extends unknown[], Result>(get: (...args: Args) => Result): (...args: Args) => Result;
};

/** Hit and miss counts for any cache, as `cache.requests` with `cache.name` and `cache.result`. */
export function cache(name: string): CacheCounter {
  const hit = { "cache.name": name, "cache.result": "hit" };
  const miss = { "cache.name": name, "cache.result": "miss" };
  const record = (value: unknown) => counter("cache.requests").add(1, value == null ? miss : hit);
  return {
    hit: () => counter("cache.requests").add(1, hit),
    miss: () => counter("cache.requests").add(1, miss),
    wrap:
      (get) =>
      (...args) => {
        const result = get(...args);
        if (result instanceof Promise)
          return result.then((value) => {
            record(value);
            return value;
          }) as typeof result;
        record(result);
        return result;
      },
  };
}
