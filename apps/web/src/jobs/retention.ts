import { db } from "@vigil/db";
import { applyRetention, createPartitionsAhead } from "@vigil/db/telemetry";
import { forgetOldAlerting } from "../domain/alerting/forget.ts";
import { logger } from "../lib/logger.ts";
import type { Job } from "./scheduler.ts";

/**
 * Partition upkeep: creates the coming days' partitions ahead (so ingestion rarely has to) and
 * drops telemetry past each project's retention (default 7 days of raw data per signal), and
 * alert history past 90 days and finished notifications past 30.
 */
export const retention: Job = {
  name: "retention",
  everyMs: 60 * 60 * 1000,
  async run() {
    await createPartitionsAhead(db().pool);
    const result = await applyRetention(db().pool);
    const alerting = await forgetOldAlerting();
    if (result.droppedPartitions.length > 0 || result.deletedRows > 0 || alerting > 0) {
      logger().info(
        { partitions: result.droppedPartitions, rows: result.deletedRows, alerting },
        "retention applied",
      );
    }
  },
};
