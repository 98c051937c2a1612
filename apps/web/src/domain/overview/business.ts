import { db } from "@vigil/db";
import { businessSteps } from "@vigil/db/telemetry";
import { NS_PER_MS, nsWindow, type TimeWindow } from "./time-range.ts";

export type BusinessMetric = {
  name: string;
  kind: "count" | "level";
  unit: string;
  /** Counts: everything in the range; levels: the latest value. */
  total: number;
  points: { t: number; value: number }[];
};

/** Every `business.*` metric over the window, per step, with its total for the range. */
export async function business(projectId: string, window: TimeWindow): Promise<BusinessMetric[]> {
  const steps = await businessSteps(db().reads(), projectId, {
    ...nsWindow(window),
    stepNs: BigInt(window.stepMs) * NS_PER_MS,
  });
  const metrics = new Map<string, BusinessMetric>();
  for (const step of steps) {
    const metric = metrics.get(step.metric) ?? {
      name: step.metric,
      kind: step.type === 2 ? "count" : "level",
      unit: step.unit,
      total: 0,
      points: [],
    };
    metric.points.push({ t: Number(BigInt(step.t) / NS_PER_MS), value: step.value });
    metric.total = metric.kind === "count" ? metric.total + step.value : step.value;
    metrics.set(step.metric, metric);
  }
  // A count with nothing in a step counted zero there: fill the gaps so the chart says so.
  for (const metric of metrics.values()) {
    if (metric.kind !== "count") continue;
    const byStep = new Map(metric.points.map((point) => [point.t, point.value]));
    metric.points = [];
    for (let t = window.fromMs; t < window.toMs; t += window.stepMs)
      metric.points.push({ t, value: byStep.get(t) ?? 0 });
  }
  return [...metrics.values()];
}
