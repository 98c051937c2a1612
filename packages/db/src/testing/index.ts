export { createTestDatabase, setupTestDatabase, type TestDatabase } from "./database.ts";
export { databaseUrl } from "./url.ts";
