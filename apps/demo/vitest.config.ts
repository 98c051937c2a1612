import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts"],
    // Integration tests run against a real control plane on a real PostgreSQL.
    globalSetup: [fileURLToPath(import.meta.resolve("@vigil/db/testing/global-setup"))],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
