// @vigil/db — server-only. UI code may import types from "@vigil/db/types", never this entry.
if (typeof window !== "undefined") throw new Error("@vigil/db is server-only");

export { closeDatabase, connectDatabase, type Database, db } from "./client.ts";
export { isRowRefused, isUniqueViolation } from "./errors.ts";
export * from "./generated/prisma/client.ts";
export { LeaderLock, lockKey, withAdvisoryLock } from "./locks.ts";
export { LruCache } from "./lru-cache.ts";
export {
  REPLICA_LAG_SQL,
  ReadReplica,
  type ReadReplicaOptions,
  type ReplicaLag,
} from "./read-replica.ts";
