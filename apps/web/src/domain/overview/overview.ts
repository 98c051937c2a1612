import { business } from "./business.ts";
import { THRESHOLDS } from "./grades.ts";
import { infrastructure } from "./infrastructure.ts";
import { servicesRed } from "./red.ts";
import { scaling } from "./scaling.ts";
import type { TimeWindow } from "./time-range.ts";

export type { ServiceRed } from "./red.ts";

/** What the overview page shows for a project and window. */
export async function projectOverview(projectId: string, window: TimeWindow) {
  const [services, signals, infra, businessMetrics] = await Promise.all([
    servicesRed(projectId, window),
    scaling(projectId, window),
    infrastructure(projectId, window),
    business(projectId, window),
  ]);
  return {
    window,
    services,
    ...signals,
    infrastructure: infra,
    business: businessMetrics,
    thresholds: THRESHOLDS,
  };
}

export type ProjectOverview = Awaited<ReturnType<typeof projectOverview>>;
