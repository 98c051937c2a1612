/**
 * A map that keeps at most `capacity` entries, forgetting the least recently used first: a full
 * cache drops one cold entry, rather than everything at once (which would send every hot key
 * back to the database together). Recency is tracked to within half the capacity.
 */
export class LruCache<K, V> {
  readonly #entries = new Map<K, { value: V; tick: number }>();
  readonly #capacity: number;
  #tick = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    // A Map iterates in insertion order: re-inserting makes this the most recently used. An
    // entry written within the last half of the capacity is far from eviction already, so a hit
    // on a hot key is one lookup, not a delete and an insert.
    if (this.#tick - entry.tick > this.#capacity / 2) {
      this.#entries.delete(key);
      entry.tick = ++this.#tick;
      this.#entries.set(key, entry);
    }
    return entry.value;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, tick: ++this.#tick });
    if (this.#entries.size > this.#capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }
}
