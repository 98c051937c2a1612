import { evaluateHealthRules } from "../registry/health-rules.ts";
import type { Job } from "./scheduler.ts";

/** Every 5 seconds: health rules turn telemetry into checks on the registry's instances. */
export const healthRules: Job = {
  name: "health-rules",
  everyMs: 5000,
  run: async () => {
    await evaluateHealthRules();
  },
};
