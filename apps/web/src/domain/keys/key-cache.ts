import type { KeyScope } from "@vigil/db";
import type { Redis } from "ioredis";

// API-key lookups shared by every replica through Redis (REDIS_URL): each OTLP, registry and API
// request authenticates its key, and across replicas the database would answer the same few
// lookups over and over. An entry lives a minute. Revoking a key replaces its entry at once, and
// a lookup that raced the revocation cannot put the old entry back (fills never overwrite), so
// every replica refuses the key from then on. Unknown keys are not cached: a spray of random keys
// would fill Redis, and a key registered later must work at once. Without a ready Redis, every
// lookup reads the database, as a single replica does.

/** A key as authentication needs it. */
export type StoredKey = {
  id: string;
  projectId: string;
  scope: KeyScope;
  revoked: boolean;
  /** When it was last recorded as used (ms), as the database said when cached. */
  lastUsedAt: number | null;
};

const TTL_SECONDS = 60;

export function keyCache(client: Redis | null, prefix = "vigil:key:") {
  const ready = (): Redis | null => (client?.status === "ready" ? client : null);
  return {
    /** The key with this hash: from Redis, else `load` (then cached when it exists). */
    async lookup(hash: string, load: () => Promise<StoredKey | null>): Promise<StoredKey | null> {
      const redis = ready();
      if (!redis) return load();
      const hit = await redis.get(prefix + hash).catch(() => undefined);
      if (hit) return JSON.parse(hit) as StoredKey;
      const key = await load();
      if (key && hit !== undefined)
        await redis
          .set(prefix + hash, JSON.stringify(key), "EX", TTL_SECONDS, "NX")
          .catch(() => {});
      return key;
    },
    /** Marks the key revoked for every replica, overwriting what a lookup cached. */
    async revoke(hash: string, key: StoredKey): Promise<void> {
      await ready()
        ?.set(prefix + hash, JSON.stringify({ ...key, revoked: true }), "EX", TTL_SECONDS)
        .catch(() => {});
    },
    /**
     * Whether this is the key's first use this minute across the replicas (so its last use is
     * recorded once a minute, not once per replica); null without Redis.
     */
    async firstUseThisMinute(id: string): Promise<boolean | null> {
      const redis = ready();
      if (!redis) return null;
      const set = await redis
        .set(`${prefix}used:${id}`, "1", "EX", TTL_SECONDS, "NX")
        .catch(() => undefined);
      return set === undefined ? null : set === "OK";
    },
  };
}
