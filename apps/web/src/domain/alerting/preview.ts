import { db } from "@vigil/db";
import { type MetricBucket, queryMetric } from "@vigil/db/telemetry";
import { rangeQuery } from "../../prometheus/promql/query.ts";
import { storeQuerier } from "../../prometheus/querier.ts";
import { DomainError } from "../errors.ts";
import { checkApplies } from "../telemetry/metrics-query.ts";
import { fingerprint, type Labels } from "./alertmanager-payload.ts";
import { alertLabels } from "./evaluate.ts";
import { compare, type MetricSpec, type PromqlSpec } from "./rule-spec.ts";
import { groupLabel, ruleSamples, windowValue } from "./rule-values.ts";
import { parseRule } from "./rules.ts";
import { nextState, type Tracked } from "./state-machine.ts";

// What a rule would have done over the last hours, before it is saved: its value per step and
// group, and the state it would have been in (pending, firing), with `for` and keep_firing_for.

const MINUTE_MS = 60_000;
const MAX_STEPS = 1500;

function merge(buckets: MetricBucket[]): MetricBucket | null {
  if (buckets.length === 0) return null;
  const sum = (pick: (bucket: MetricBucket) => number | null) => {
    const values = buckets.map(pick).filter((value): value is number => value !== null);
    return values.length ? values.reduce((a, b) => a + b, 0) : null;
  };
  const extreme = (
    pick: (bucket: MetricBucket) => number | null,
    fn: (...v: number[]) => number,
  ) => {
    const values = buckets.map(pick).filter((value): value is number => value !== null);
    return values.length ? fn(...values) : null;
  };
  const first = buckets[0] as MetricBucket;
  const points = buckets.reduce((total, bucket) => total + bucket.points, 0);
  const valueSum = sum((bucket) => bucket.valueSum);
  const layout = buckets.every(
    (bucket) => bucket.counts && bucket.counts.length === first.counts?.length,
  );
  return {
    group: first.group,
    t: first.t,
    points,
    valueSum,
    valueAvg: valueSum === null || points === 0 ? null : valueSum / points,
    valueMin: extreme((bucket) => bucket.valueMin, Math.min),
    valueMax: extreme((bucket) => bucket.valueMax, Math.max),
    count: sum((bucket) => bucket.count),
    sum: sum((bucket) => bucket.sum),
    min: extreme((bucket) => bucket.min, Math.min),
    max: extreme((bucket) => bucket.max, Math.max),
    bounds: layout ? first.bounds : null,
    counts: layout
      ? (first.counts as number[]).map((_, index) =>
          buckets.reduce((total, bucket) => total + Number((bucket.counts as number[])[index]), 0),
        )
      : null,
  };
}

type PreviewPoint = { t: number; value: number | null; state: "inactive" | "pending" | "firing" };

export async function previewRule(
  projectId: string,
  input: unknown,
  hours = 3,
  nowMs = Date.now(),
) {
  const rule = parseRule(input);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24)
    throw new DomainError("BAD_REQUEST", "a preview covers 1 to 24 hours");
  const timing = { forMs: rule.for * 1000, keepFiringForMs: rule.keepFiringFor * 1000 };
  const ruleLabels = { name: rule.name, labels: rule.labels };
  if (rule.spec.kind === "registry") {
    const samples = await ruleSamples(projectId, rule.spec, nowMs);
    return {
      kind: "registry" as const,
      note: "The registry keeps no past states to replay: this is what the rule sees now.",
      stepSeconds: 0,
      groups: samples.map((sample) => ({
        labels: alertLabels(ruleLabels, sample),
        points: [
          {
            t: nowMs,
            value: sample.value,
            state: sample.holds ? ("firing" as const) : ("inactive" as const),
          },
        ],
        fired: sample.holds ? 1 : 0,
      })),
    };
  }
  if (rule.spec.kind === "promql")
    return previewPromql(projectId, rule.spec, ruleLabels, timing, hours, nowMs);
  const spec: MetricSpec = rule.spec;
  const windowMs = spec.window * 1000;
  const stepMs = windowMs % MINUTE_MS === 0 ? MINUTE_MS : windowMs;
  // Up to the step now under way, so the last point is what the rule sees now.
  const toMs = Math.ceil(nowMs / stepMs) * stepMs;
  const fromMs = toMs - hours * 3_600_000;
  if ((toMs - fromMs) / stepMs > MAX_STEPS)
    throw new DomainError(
      "BAD_REQUEST",
      "this window is too short to preview that many hours; preview fewer hours",
    );
  const result = await queryMetric(db().pool, projectId, {
    name: spec.metric,
    service: spec.service,
    where: spec.where,
    groupBy: spec.groupBy,
    fromNs: BigInt(fromMs - windowMs) * 1_000_000n,
    toNs: BigInt(toMs) * 1_000_000n,
    stepNs: BigInt(stepMs) * 1_000_000n,
  });
  if (result.type === null)
    throw new DomainError(
      "NOT_FOUND",
      `no metric named ${spec.metric} with these filters in this project`,
    );
  checkApplies(spec.agg, result.type, spec.metric);
  const type = result.type;
  const byGroup = new Map<string | null, Map<number, MetricBucket>>();
  for (const bucket of result.buckets) {
    const steps = byGroup.get(bucket.group) ?? new Map<number, MetricBucket>();
    steps.set(Number(BigInt(bucket.t) / 1_000_000n), bucket);
    byGroup.set(bucket.group, steps);
  }
  const perWindow = windowMs / stepMs;
  const groups = [...byGroup].map(([group, steps]) => {
    const labels: Labels = spec.service ? { service: spec.service } : {};
    if (spec.groupBy && group !== null) labels[groupLabel(spec.groupBy)] = group;
    let state: Tracked | null = null;
    let fired = 0;
    const points: PreviewPoint[] = [];
    for (let t = fromMs + stepMs; t <= toMs; t += stepMs) {
      const inWindow: MetricBucket[] = [];
      for (let k = 0; k < perWindow; k++) {
        const bucket = steps.get(t - stepMs * (k + 1));
        if (bucket) inWindow.push(bucket);
      }
      const merged = merge(inWindow);
      const value = merged ? windowValue(spec, type, merged) : null;
      const before: Tracked | null = state;
      state = nextState(
        state,
        value !== null && compare(spec.op, value, spec.threshold),
        t,
        timing,
      );
      if (state?.state === "firing" && before?.state !== "firing") fired += 1;
      points.push({
        t,
        value,
        state: state && state.state !== "resolved" ? state.state : "inactive",
      });
    }
    const sample = { labels, value: points.at(-1)?.value ?? null, holds: false, reason: "" };
    return { labels: alertLabels(ruleLabels, sample), points, fired };
  });
  groups.sort((a, b) => fingerprint(a.labels).localeCompare(fingerprint(b.labels)));
  return {
    kind: "metric" as const,
    note: `Evaluated every ${stepMs / 1000}s over the last ${hours} h, each time over the previous ${spec.window}s.`,
    stepSeconds: stepMs / 1000,
    groups,
  };
}

/** A PromQL rule replayed: its expression at every minute, an alert wherever it has a value. */
async function previewPromql(
  projectId: string,
  spec: PromqlSpec,
  ruleLabels: { name: string; labels: Labels },
  timing: { forMs: number; keepFiringForMs: number },
  hours: number,
  nowMs: number,
) {
  const stepMs = MINUTE_MS;
  const toMs = Math.floor(nowMs / stepMs) * stepMs;
  const fromMs = toMs - hours * 3_600_000;
  const result = await rangeQuery(
    storeQuerier(db().pool, projectId),
    spec.expr,
    fromMs + stepMs,
    toMs,
    stepMs,
  );
  const series = result.resultType === "matrix" ? result.result : [];
  const groups = series.map(({ metric, values }) => {
    const { __name__: _name, ...labels } = metric;
    const at = new Map(values.map(([t, v]) => [t * 1000, v]));
    let state: Tracked | null = null;
    let fired = 0;
    const points: PreviewPoint[] = [];
    for (let t = fromMs + stepMs; t <= toMs; t += stepMs) {
      const value = at.get(t) ?? null;
      const before: Tracked | null = state;
      state = nextState(state, value !== null, t, timing);
      if (state?.state === "firing" && before?.state !== "firing") fired += 1;
      points.push({
        t,
        value,
        state: state && state.state !== "resolved" ? state.state : "inactive",
      });
    }
    const sample = { labels, value: points.at(-1)?.value ?? null, holds: false, reason: "" };
    return { labels: alertLabels(ruleLabels, sample), points, fired };
  });
  groups.sort((a, b) => fingerprint(a.labels).localeCompare(fingerprint(b.labels)));
  return {
    kind: "metric" as const,
    note: `The expression evaluated every minute over the last ${hours} h; each element of its value is an alert.`,
    stepSeconds: stepMs / 1000,
    groups,
  };
}

export type RulePreview = Awaited<ReturnType<typeof previewRule>>;
