import { db } from "@vigil/db";
import { type RedStep, redSteps } from "@vigil/db/telemetry";
import { registryOverview } from "../../registry/registry.ts";
import { histogramQuantile } from "../telemetry/percentile.ts";
import { coverageOf } from "./coverage.ts";
import { type Grade, gradeAbove, type Thresholds } from "./grades.ts";
import { NS_PER_MS, nsWindow, type TimeWindow } from "./time-range.ts";

type Health = "passing" | "warning" | "critical";
const worse: Record<Health, number> = { passing: 0, warning: 1, critical: 2 };

export type ServiceRed = {
  service: string;
  environment: string;
  requests: number;
  /** Requests a second over the part of the window that has the service's data. */
  rate: number;
  /** Seconds of the window the rate is over (less than the window when data began inside it). */
  coveredSeconds: number;
  errors: number;
  errorRate: number | null;
  /** Latency percentiles in milliseconds. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
  grade: Grade;
  /** Worst registry health of its instances; null when none is registered. */
  health: Health | null;
  instances: { registered: number; passing: number };
  spark: {
    t: number;
    requests: number;
    rate: number;
    errorRate: number | null;
    p95: number | null;
  }[];
};

const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

function percentiles(step: RedStep) {
  if (step.bounds && step.counts) {
    const counts = step.counts.map(Number);
    return {
      p50: histogramQuantile(0.5, step.bounds, counts),
      p95: histogramQuantile(0.95, step.bounds, counts),
      p99: histogramQuantile(0.99, step.bounds, counts),
    };
  }
  return { p50: step.p50, p95: step.p95, p99: step.p99 };
}

const ORDER: Grade[] = ["bad", "warning", "good", "unknown"];

/** A service is as bad as the worse of its error rate and its instances' health. */
function serviceGrade(
  errorRate: number | null,
  health: Health | null,
  thresholds: Thresholds,
): Grade {
  const byErrors = gradeAbove(errorRate, thresholds.errorRate);
  const byHealth: Grade = health === "critical" ? "bad" : health === "warning" ? "warning" : "good";
  return ORDER.indexOf(byHealth) < ORDER.indexOf(byErrors) ? byHealth : byErrors;
}

const key = (step: { service: string; environment: string }) =>
  `${step.service}\u0000${step.environment}`;

/** Every service's throughput, errors and latency over the window, with sparklines and health. */
export async function servicesRed(
  projectId: string,
  window: TimeWindow,
  thresholds: Thresholds,
): Promise<ServiceRed[]> {
  const { fromNs, toNs } = nsWindow(window);
  const [steps, totals, instances, coverage] = await Promise.all([
    redSteps(db().reads(), projectId, { fromNs, toNs, stepNs: BigInt(window.stepMs) * NS_PER_MS }),
    // One step as long as the window: whole-window counts and percentiles.
    redSteps(db().reads(), projectId, { fromNs, toNs, stepNs: toNs }),
    registryOverview(projectId),
    coverageOf(projectId, window),
  ]);
  const nowMs = Math.min(window.nowMs, window.toMs);
  // The step still in progress counts over the time that has passed, so the line does not dip.
  const elapsedSeconds = (startMs: number) =>
    Math.max(1, Math.min(window.stepMs, nowMs - startMs)) / 1000;
  return (
    totals
      .map((total) => {
        const registered = instances.filter((instance) => instance.service === total.service);
        const health = registered.length
          ? registered.reduce<Health>(
              (acc, instance) => (worse[instance.health] > worse[acc] ? instance.health : acc),
              "passing",
            )
          : null;
        const errorRate = total.requests > 0 ? total.errors / total.requests : null;
        const { p50, p95, p99 } = percentiles(total);
        return {
          service: total.service,
          environment: total.environment,
          requests: total.requests,
          rate: total.requests / coverage.seconds(total.service),
          coveredSeconds: coverage.seconds(total.service),
          errors: total.errors,
          errorRate,
          p50: ms(p50),
          p95: ms(p95),
          p99: ms(p99),
          grade: serviceGrade(errorRate, health, thresholds),
          health,
          instances: {
            registered: registered.length,
            passing: registered.filter((instance) => instance.health === "passing").length,
          },
          spark: steps
            .filter((step) => key(step) === key(total))
            .map((step) => ({
              t: Number(BigInt(step.t) / NS_PER_MS),
              requests: step.requests,
              rate: step.requests / elapsedSeconds(Number(BigInt(step.t) / NS_PER_MS)),
              errorRate: step.requests > 0 ? step.errors / step.requests : null,
              p95: ms(percentiles(step).p95),
            })),
        } satisfies ServiceRed;
      })
      // Trouble first, then the busiest.
      .sort((a, b) => ORDER.indexOf(a.grade) - ORDER.indexOf(b.grade) || b.rate - a.rate)
  );
}
