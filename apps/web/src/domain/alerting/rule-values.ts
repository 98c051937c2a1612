import { db } from "@vigil/db";
import { INSTANCE_GROUP, type MetricBucket, queryMetric, SERVICE_GROUP } from "@vigil/db/telemetry";
import { instantQuery } from "../../prometheus/promql/query.ts";
import { storeQuerier } from "../../prometheus/querier.ts";
import { registryOverview } from "../../registry/registry.ts";
import { aggregateStep, checkApplies } from "../telemetry/metrics-query.ts";
import type { Labels } from "./alertmanager-payload.ts";
import { fingerprint } from "./alertmanager-payload.ts";
import {
  compare,
  type MetricSpec,
  type PromqlSpec,
  type RegistrySpec,
  type RuleSpec,
} from "./rule-spec.ts";

// What a rule sees at one moment: one sample per group (its labels), whether the condition holds,
// and why not when there is no data.

export type Sample = { labels: Labels; value: number | null; holds: boolean; reason: string };

export const NO_DATA = {
  stopped: "no data: telemetry stopped",
  deregistered: "no data: instance deregistered",
  unknown: "no data",
} as const;

const NS_PER_MS = 1_000_000n;
/** How far back a series counts as "was reporting" when it is missing now. */
const LOOKBACK_MS = 3_600_000;

/** The label a group-by key becomes on an alert: service.name → service, service.instance.id → instance. */
export function groupLabel(key: string): string {
  if (key === SERVICE_GROUP) return "service";
  if (key === INSTANCE_GROUP) return "instance";
  return key.replace(/[^A-Za-z0-9_]/g, "_");
}

/** The label names that tell a rule's groups apart. */
export function groupKeys(spec: RuleSpec): string[] {
  // A PromQL alert is told apart by all its labels, which come with each sample.
  if (spec.kind === "promql") return [];
  if (spec.kind === "registry")
    return spec.condition === "instance_critical" ? ["service", "instance"] : ["service"];
  return [
    ...(spec.service ? ["service"] : []),
    ...(spec.groupBy ? [groupLabel(spec.groupBy)] : []),
  ];
}

function groupLabels(spec: MetricSpec, group: string | null): Labels {
  const labels: Labels = spec.service ? { service: spec.service } : {};
  if (spec.groupBy && group !== null) labels[groupLabel(spec.groupBy)] = group;
  return labels;
}

/** One bucket per group over [fromNs, toNs): the step spans the whole window. */
async function bucketsOver(projectId: string, spec: MetricSpec, fromNs: bigint, toNs: bigint) {
  return queryMetric(db().pool, projectId, {
    name: spec.metric,
    service: spec.service,
    where: spec.where,
    groupBy: spec.groupBy,
    fromNs,
    toNs,
    stepNs: toNs,
  });
}

type Registered = { id: string; service: string }[];

/** Why a group that was reporting has no data now, as far as the registry knows. */
async function noDataReason(
  projectId: string,
  registry: Registered,
  labels: Labels,
): Promise<string> {
  if (labels.instance) {
    if (registry.some((instance) => instance.id === labels.instance)) return NO_DATA.stopped;
    const gone = await db().prisma.registryEvent.findFirst({
      where: { projectId, instanceId: labels.instance, toStatus: "deregistered" },
      select: { id: true },
    });
    return gone ? NO_DATA.deregistered : NO_DATA.stopped;
  }
  if (labels.service) {
    if (registry.some((instance) => instance.service === labels.service)) return NO_DATA.stopped;
    const known = await db().prisma.registryEvent.findFirst({
      where: { projectId, toStatus: "registered", output: labels.service },
      select: { id: true },
    });
    return known ? NO_DATA.deregistered : NO_DATA.stopped;
  }
  return NO_DATA.unknown;
}

/** The value of one window's bucket by the rule's aggregation. */
export function windowValue(spec: MetricSpec, type: number, bucket: MetricBucket): number | null {
  return aggregateStep(spec.agg, type, bucket, spec.window);
}

async function metricSamples(
  projectId: string,
  spec: MetricSpec,
  nowMs: number,
  known: Labels[],
): Promise<Sample[]> {
  const toNs = BigInt(nowMs) * NS_PER_MS;
  const fromNs = toNs - BigInt(spec.window * 1000) * NS_PER_MS;
  const current = await bucketsOver(projectId, spec, fromNs, toNs);
  if (current.type !== null) checkApplies(spec.agg, current.type, spec.metric);
  const samples = new Map<string, Sample>();
  for (const bucket of current.buckets) {
    const labels = groupLabels(spec, bucket.group);
    const value = current.type === null ? null : windowValue(spec, current.type, bucket);
    samples.set(fingerprint(labels), {
      labels,
      value,
      holds: value !== null && compare(spec.op, value, spec.threshold),
      reason: "",
    });
  }
  // Groups that were reporting (in the hour before the window, or have an alert) but are silent now.
  const before = await bucketsOver(
    projectId,
    spec,
    fromNs - BigInt(LOOKBACK_MS) * NS_PER_MS,
    fromNs,
  );
  const candidates = [...before.buckets.map((bucket) => groupLabels(spec, bucket.group)), ...known];
  if (candidates.length === 0 && current.buckets.length === 0 && !spec.groupBy)
    candidates.push(groupLabels(spec, null));
  // The registry is read once, and only when some group is silent.
  let registry: Registered | null = null;
  for (const labels of candidates) {
    const key = fingerprint(labels);
    if (samples.has(key)) continue;
    registry ??= await db().prisma.registryInstance.findMany({
      where: { projectId },
      select: { id: true, service: true },
    });
    const reason = await noDataReason(projectId, registry, labels);
    samples.set(key, {
      labels,
      value: null,
      holds: spec.noData === "alert" && reason !== NO_DATA.deregistered,
      reason,
    });
  }
  return [...samples.values()];
}

async function registrySamples(projectId: string, spec: RegistrySpec): Promise<Sample[]> {
  const instances = (await registryOverview(projectId)).filter(
    (instance) => !spec.service || instance.service === spec.service,
  );
  if (spec.condition === "instance_critical") {
    return instances.map((instance) => ({
      labels: { service: instance.service, instance: instance.id },
      value: instance.health === "critical" ? 1 : 0,
      holds: instance.health === "critical",
      reason: "",
    }));
  }
  const passing = new Map<string, number>();
  if (spec.service) passing.set(spec.service, 0);
  for (const instance of instances)
    passing.set(
      instance.service,
      (passing.get(instance.service) ?? 0) + (instance.health === "passing" ? 1 : 0),
    );
  return [...passing].map(([service, count]) => ({
    labels: { service },
    value: count,
    holds: count < spec.threshold,
    reason: "",
  }));
}

/**
 * The samples of a rule now. `known` are the group labels of the rule's current alerts, so a
 * group that stops reporting is still seen (and classified) after it leaves the lookback.
 */
export function ruleSamples(
  projectId: string,
  spec: RuleSpec,
  nowMs: number,
  known: Labels[] = [],
): Promise<Sample[]> {
  if (spec.kind === "promql") return promqlSamples(projectId, spec, nowMs);
  return spec.kind === "metric"
    ? metricSamples(projectId, spec, nowMs, known)
    : registrySamples(projectId, spec);
}

/**
 * A PromQL rule's samples: every element of the expression's value now, labelled as the
 * element is (without its metric name), as Prometheus's rule manager does. A scalar is one
 * unlabelled sample.
 */
async function promqlSamples(
  projectId: string,
  spec: PromqlSpec,
  nowMs: number,
): Promise<Sample[]> {
  const result = await instantQuery(storeQuerier(db().pool, projectId), spec.expr, nowMs);
  if (result.resultType === "scalar")
    return [{ labels: {}, value: result.result[1], holds: true, reason: "" }];
  if (result.resultType !== "vector") return [];
  return result.result.map(({ metric, value }) => {
    const { __name__: _name, ...labels } = metric;
    return { labels, value: value[1], holds: true, reason: "" };
  });
}
