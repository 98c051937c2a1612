import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
import { e2eEnv } from "./e2e/env.ts";

// End-to-end tests run the built app (`next build` runs first, as turbo's e2e dependency) on its
// own embedded PostgreSQL in a throwaway folder, in Debian's Chromium.
const port = e2eEnv.port;
// Throwaway data in the system's temporary folder: the embedded PostgreSQL (run as the postgres
// user when the tests run as root) can reach it wherever the repository is checked out.
const dataDir = join(tmpdir(), `vigil-e2e-${port}`);
export const e2eAdmin = { email: "e2e-admin@vigil.test", password: "e2e-admin-password" };
/** The admin's signed-in session, saved once by e2e/admin.setup.ts for the tests that need it. */
export const adminSession = "test-results/.auth/admin.json";

export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results/e2e",
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  reporter: [["list"], ["./e2e/page-snapshot-reporter.ts"]],
  timeout: 60_000,
  use: {
    baseURL: `http://localhost:${port}`,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: e2eEnv.chromium,
      args: [
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-sandbox",
      ],
    },
  },
  projects: [
    { name: "setup", testMatch: /\.setup\.ts$/ },
    { name: "chromium", testMatch: /\.spec\.ts$/, dependencies: ["setup"] },
  ],
  webServer: {
    command: `rm -rf ${dataDir} && node src/server/main.ts`,
    url: `http://localhost:${port}/readyz`,
    timeout: 120_000,
    reuseExistingServer: false,
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: "",
      VIGIL_DATA_DIR: dataDir,
      VIGIL_DEMO: "0", // the demo spec starts its own `npm start` with the fleet
      VIGIL_INIT_ADMIN_EMAIL: e2eAdmin.email,
      VIGIL_INIT_ADMIN_PASSWORD: e2eAdmin.password,
      LOG_FORMAT: "json",
    },
  },
});
