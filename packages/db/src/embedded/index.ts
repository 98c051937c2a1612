// The embedded PostgreSQL for `npm start` and tests; loaded only when DATABASE_URL is unset.
export { dropDatabase, ensureDatabase, runSql } from "./ensure-database.ts";
export { freePort } from "./free-port.ts";
export { type EmbeddedPostgresHandle, isAlive, startEmbeddedPostgres } from "./launcher.ts";
export { type ReplicatedPair, startReplicatedPair } from "./replica.ts";
