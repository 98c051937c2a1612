/** What the browser tests read from the environment. */
export const e2eEnv = {
  port: Number(process.env.VIGIL_E2E_PORT ?? 3107),
  chromium: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
};
