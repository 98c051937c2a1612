import { business } from "./business.ts";
import { thresholdsOf } from "./grades.ts";
import { infrastructure } from "./infrastructure.ts";
import { servicesRed } from "./red.ts";
import { scaling } from "./scaling.ts";
import type { TimeWindow } from "./time-range.ts";

export type { ServiceRed } from "./red.ts";

/** What the overview page shows for a project and window. */
export async function projectOverview(projectId: string, window: TimeWindow) {
  const thresholds = await thresholdsOf(projectId);
  const [services, signals, infra, businessMetrics] = await Promise.all([
    servicesRed(projectId, window, thresholds),
    scaling(projectId, window, thresholds),
    infrastructure(projectId, window),
    business(projectId, window),
  ]);
  return {
    window,
    services,
    ...signals,
    infrastructure: infra,
    business: businessMetrics,
    thresholds,
  };
}

export type ProjectOverview = Awaited<ReturnType<typeof projectOverview>>;

/**
 * The overview narrowed to one environment: its services (by name and environment) and the
 * signals those services report. Business metrics and shard stores are not per service and stay.
 */
export function forEnvironment(overview: ProjectOverview, names: Set<string>, environment: string) {
  return {
    ...overview,
    services: overview.services.filter((s) => s.environment === environment),
    infrastructure: overview.infrastructure.filter((row) => names.has(row.service)),
    caches: overview.caches.filter((cache) => cache.services.some((name) => names.has(name))),
    replicas: overview.replicas.filter((replica) => names.has(replica.service)),
    balances: overview.balances.filter((balance) => balance.environment === environment),
  };
}
