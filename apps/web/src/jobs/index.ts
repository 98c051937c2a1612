import { alertDelivery, alertEvaluation, alertNotification } from "./alerting.ts";
import { compaction } from "./compaction.ts";
import { healthRules } from "./health-rules.ts";
import { registryHealth } from "./registry-health.ts";
import { retention } from "./retention.ts";
import { rollups } from "./rollups.ts";
import type { Job } from "./scheduler.ts";
import { scrapes } from "./scrape.ts";
import { sessionCleanup } from "./session-cleanup.ts";

/** Every background job the leader runs. */
export const jobs: Job[] = [
  sessionCleanup,
  retention,
  registryHealth,
  healthRules,
  rollups,
  compaction,
  scrapes,
  alertEvaluation,
  alertNotification,
  alertDelivery,
];
