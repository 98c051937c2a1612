export { defaultMigrationsDir, type MigrationFile, readMigrationFiles } from "./files.ts";
export { MigrationError, type MigrationStatus, migrate, migrationStatus } from "./runner.ts";
