import { outboundPolicy } from "../net/policy.ts";
import { expireTtlChecks, reapCriticalInstances } from "../registry/health-engine.ts";
import { startDueHttpChecks } from "../registry/http-checks.ts";
import type { Job } from "./scheduler.ts";

/**
 * Twice a second: expired TTL checks turn critical, due HTTP checks start (they run on their own,
 * each with a total deadline, so a slow target never delays this job), long-critical instances
 * are deregistered. Runs are spaced from the end of the previous one, so this period keeps a
 * TTL's expiry within TTL + 1 s including the run itself.
 */
export const registryHealth: Job = {
  name: "registry-health",
  everyMs: 500,
  async run(signal) {
    await expireTtlChecks();
    await startDueHttpChecks(outboundPolicy(), Date.now(), signal);
    await reapCriticalInstances();
  },
};
