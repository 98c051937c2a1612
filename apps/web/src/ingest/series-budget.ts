import { LruCache } from "@vigil/db";
import type { SeriesBudget } from "@vigil/db/telemetry";

// New series created per project in the current minute, in this process. Several replicas each
// keep their own count, so a cluster admits up to the limit per replica.
const minutes = new LruCache<string, { minute: number; created: number }>(10_000);

/** How many more series the project may create this minute, as resolveSeries asks it. */
export function newSeriesBudget(
  projectId: string,
  perMinute: number,
  nowMs = Date.now(),
): SeriesBudget {
  const minute = Math.floor(nowMs / 60_000);
  let current = minutes.get(projectId);
  if (!current || current.minute !== minute) {
    current = { minute, created: 0 };
    minutes.set(projectId, current);
  }
  const window = current;
  return {
    left: () => window.created < perMinute,
    spend: () => {
      window.created += 1;
    },
  };
}
