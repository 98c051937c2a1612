import { createHash } from "node:crypto";
import { vigil } from "@vigil/agent";

// Orders are sharded by user id: a stable hash picks the shard, so one user's orders live
// together. A "hot tenant" (the incident switch) sends one tenant's traffic to one shard.

export class ShardRouter {
  readonly #shards: string[];
  readonly #store: string;
  #hot: { tenant: string; shard: string } | null = null;

  constructor(store: string, shards: string[]) {
    if (shards.length === 0) throw new Error("a shard router needs at least one shard");
    this.#store = store;
    this.#shards = shards;
  }

  /** The shard of a user of a tenant; counted for shard balance. */
  route(userId: string, tenant = ""): string {
    const shard =
      this.#hot && tenant === this.#hot.tenant
        ? this.#hot.shard
        : (this.#shards[
            createHash("sha256").update(userId).digest().readUInt32BE(0) % this.#shards.length
          ] as string);
    vigil.shard.request(shard, this.#store);
    return shard;
  }

  /** Sends every request of `tenant` to `shard`, or back to hashing with null. */
  setHotTenant(hot: { tenant: string; shard: string } | null): void {
    if (hot && !this.#shards.includes(hot.shard)) throw new Error(`no shard named ${hot.shard}`);
    this.#hot = hot;
  }
}
