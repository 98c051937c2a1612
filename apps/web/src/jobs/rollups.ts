import { db } from "@vigil/db";
import { rollUpPending } from "@vigil/db/telemetry";
import { logger } from "../lib/logger.ts";
import type { Job } from "./scheduler.ts";

/**
 * Every 5 seconds: minutes whose raw metric points changed are rolled up, then their hours, so
 * charts over long ranges read rollups (queries read the raw points of what is still pending).
 */
export const rollups: Job = {
  name: "rollups",
  everyMs: 5000,
  async run() {
    const result = await rollUpPending(db().pool);
    if (result.minutes + result.hours > 0) logger().debug(result, "metrics rolled up");
  },
};
