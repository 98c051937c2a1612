import { counter } from "./instruments.ts";

/**
 * Counts one request routed to a shard (`vigil.shard.requests` with `vigil.shard.id`), for the
 * request-rate side of shard balance. Call it where the app picks the shard.
 */
export function shardRequest(shardId: string, store = "default"): void {
  counter("vigil.shard.requests").add(1, { "vigil.shard.id": shardId, "vigil.shard.store": store });
}
