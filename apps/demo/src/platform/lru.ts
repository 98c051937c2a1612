// The in-process cache the services fall back to without Redis: least recently used entries go
// first, and every entry expires after its TTL, as a Redis key with EX would.

export class LruCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();

  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(maxEntries: number, now: () => number = Date.now) {
    this.#maxEntries = maxEntries;
    this.#now = now;
    if (!Number.isInteger(maxEntries) || maxEntries < 1)
      throw new Error("maxEntries must be a whole number ≥ 1");
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, ttlMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  /** Empties the cache (the "flush the cache" incident). */
  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
