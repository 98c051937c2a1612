import { db } from "@vigil/db";
import { dependencyEdges, operationStats, type RouteStep, routeSteps } from "@vigil/db/telemetry";
import { registryOverview } from "../../registry/registry.ts";
import { coverageOf } from "../overview/coverage.ts";
import { gradeAbove, thresholdsOf } from "../overview/grades.ts";
import { servicesRed } from "../overview/red.ts";
import { NS_PER_MS, nsWindow, type TimeWindow } from "../overview/time-range.ts";
import { histogramQuantile } from "../telemetry/percentile.ts";
import { findTraces } from "../telemetry/trace-search.ts";

const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

function percentile(
  q: number,
  step: Pick<RouteStep, "bounds" | "counts">,
  fallback: number | null,
) {
  return step.bounds && step.counts
    ? histogramQuantile(q, step.bounds, step.counts.map(Number))
    : fallback;
}

/** A route's totals over the window and its per-step rate, error rate and p95. */
function routeSummaries(steps: RouteStep[], window: TimeWindow, seconds: number) {
  const byRoute = new Map<string, RouteStep[]>();
  for (const step of steps) byRoute.set(step.route, [...(byRoute.get(step.route) ?? []), step]);
  return [...byRoute].map(([route, list]) => {
    const requests = list.reduce((sum, step) => sum + step.requests, 0);
    const errors = list.reduce((sum, step) => sum + step.errors, 0);
    const width = list.find((step) => step.counts)?.counts?.length ?? 0;
    const merged = {
      bounds: list.find((step) => step.bounds)?.bounds ?? null,
      counts: width
        ? Array.from({ length: width }, (_, i) =>
            list.reduce((sum, step) => sum + Number(step.counts?.[i] ?? 0), 0),
          )
        : null,
    };
    // Spans give percentiles per step only: the window's are the steps' worst.
    const worst = (field: "p50" | "p95" | "p99") =>
      list.reduce<number | null>((max, step) => Math.max(max ?? 0, step[field] ?? 0), null);
    return {
      route,
      requests,
      rate: requests / seconds,
      errors,
      errorRate: requests > 0 ? errors / requests : null,
      p50: ms(percentile(0.5, merged, worst("p50"))),
      p95: ms(percentile(0.95, merged, worst("p95"))),
      p99: ms(percentile(0.99, merged, worst("p99"))),
      spark: list.map((step) => ({
        t: Number(BigInt(step.t) / NS_PER_MS),
        rate: step.requests / (window.stepMs / 1000),
        errorRate: step.requests > 0 ? step.errors / step.requests : null,
        p95: ms(percentile(0.95, step, step.p95)),
      })),
    };
  });
}

/**
 * Everything the service page shows: its RED figures, RED per route, its registry instances, its
 * slowest and failing operations, recent traces and what it calls.
 */
export async function serviceDetail(projectId: string, service: string, window: TimeWindow) {
  const span = nsWindow(window);
  const thresholds = await thresholdsOf(projectId);
  const [all, routes, instances, slowest, failing, traces, edges, coverage] = await Promise.all([
    servicesRed(projectId, window, thresholds),
    routeSteps(db().reads(), projectId, service, {
      ...span,
      stepNs: BigInt(window.stepMs) * NS_PER_MS,
    }),
    registryOverview(projectId),
    operationStats(db().reads(), projectId, service, span, "slowest"),
    operationStats(db().reads(), projectId, service, span, "failing"),
    findTraces(projectId, {
      service,
      from: String(window.fromMs),
      to: String(window.toMs),
      limit: "10",
    }),
    dependencyEdges(db().reads(), projectId, span),
    coverageOf(projectId, window),
  ]);
  const seconds = coverage.seconds(service);
  return {
    red: all.find((row) => row.service === service) ?? null,
    routes: routeSummaries(routes, window, seconds).sort((a, b) => b.requests - a.requests),
    instances: instances.filter((instance) => instance.service === service),
    slowest,
    failing,
    traces: traces.traces,
    dependencies: edges
      .filter((edge) => edge.caller === service)
      .map((edge) => {
        const errorRate = edge.calls > 0 ? edge.errors / edge.calls : 0;
        return {
          ...edge,
          rate: edge.calls / seconds,
          errorRate,
          grade: gradeAbove(errorRate, thresholds.errorRate),
        };
      }),
    callers: [
      ...new Set(edges.filter((edge) => edge.callee === service).map((edge) => edge.caller)),
    ],
  };
}

export type ServiceDetail = Awaited<ReturnType<typeof serviceDetail>>;
