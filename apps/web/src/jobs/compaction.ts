import { db } from "@vigil/db";
import { compactMetrics, compactSpans } from "@vigil/db/telemetry";
import { logger } from "../lib/logger.ts";
import type { Job } from "./scheduler.ts";

/**
 * Every minute: hours of metric points and spans that ended over ten minutes ago are packed into
 * rows of arrays (a row per series and hour; a row per thousand spans of an hour, by trace), a
 * fraction of the bytes; readers see packed and recent data alike.
 */
export const compaction: Job = {
  name: "compaction",
  everyMs: 60_000,
  async run() {
    const result = await compactMetrics(db().pool);
    if (result.hours > 0) logger().debug(result, "metric hours packed");
    const spans = await compactSpans(db().pool);
    if (spans.hours > 0) logger().debug(spans, "span hours packed");
  },
};
