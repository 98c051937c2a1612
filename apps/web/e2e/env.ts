/** What the browser tests read from the environment. */
export const e2eEnv = {
  port: Number(process.env.VIGIL_E2E_PORT ?? 3107),
  /** The demo spec's own `npm start`. */
  demoPort: Number(process.env.VIGIL_E2E_DEMO_PORT ?? 3108),
  chromium: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
};
