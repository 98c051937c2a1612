import { db } from "@vigil/db";
import { compactMetrics } from "@vigil/db/telemetry";
import { logger } from "../lib/logger.ts";
import type { Job } from "./scheduler.ts";

/**
 * Every minute: hours of metric points that ended over ten minutes ago are packed into one row
 * of arrays per series (a fraction of the bytes); readers see packed and recent points alike.
 */
export const compaction: Job = {
  name: "compaction",
  everyMs: 60_000,
  async run() {
    const result = await compactMetrics(db().pool);
    if (result.hours > 0) logger().debug(result, "metric hours packed");
  },
};
