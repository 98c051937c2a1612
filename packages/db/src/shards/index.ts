export { attachShards } from "./attach.ts";
export { shardCount, shardServers } from "./catalog.ts";
export { type Place, placesOf } from "./place.ts";
export { onShard } from "./remote.ts";
export { SHARDED_TABLES, shardServer } from "./tables.ts";
