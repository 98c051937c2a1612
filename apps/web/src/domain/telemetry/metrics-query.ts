import { db } from "@vigil/db";
import { type MetricBucket, queryMetric } from "@vigil/db/telemetry";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { histogramQuantile } from "./percentile.ts";
import {
  attributeFilters,
  describeIssues,
  nsToIso,
  stepParam,
  timeParam,
  window,
  withAttributeFilters,
} from "./query-params.ts";

export const aggregations = ["avg", "sum", "min", "max", "rate", "p50", "p95", "p99"] as const;
export type Aggregation = (typeof aggregations)[number];
const typeNames = {
  1: "gauge",
  2: "sum",
  3: "histogram",
  4: "exponential_histogram",
  5: "summary",
} as const;

const attributeKey = z
  .string()
  .trim()
  .min(1, "groupBy must name an attribute (or service.name)")
  .max(255, "groupBy is at most 255 characters");

export const metricQuerySchema = z.object({
  name: z
    .string({ error: "name is required (a metric name)" })
    .trim()
    .min(1, "name is required (a metric name)"),
  service: z.string().trim().min(1).optional(),
  from: timeParam("from").optional(),
  to: timeParam("to").optional(),
  step: stepParam.optional(),
  agg: z.enum(aggregations, `agg must be one of ${aggregations.join(", ")}`).default("avg"),
  groupBy: attributeKey.optional(),
  where: attributeFilters,
});

/** The query's parameters: `attr.<key>=<value>` ones are attribute filters. */
export type MetricQueryInput = Record<string, string | undefined>;

const resolutionNames = { 0: "raw", 60: "1m", 3600: "1h" } as const;
const MAX_POINTS = 11_000;

/** One aggregated value per step, by the metric's type. */
export function aggregateStep(
  agg: Aggregation,
  type: number,
  bucket: MetricBucket,
  stepSeconds: number,
): number | null {
  const isHistogram = type === 3 || type === 4;
  const perCount = bucket.count ? (bucket.sum ?? 0) / bucket.count : null;
  switch (agg) {
    case "avg":
      return type === 1 || type === 2 ? bucket.valueAvg : perCount;
    case "sum":
      return type === 1 || type === 2 ? bucket.valueSum : bucket.sum;
    case "min":
      return type === 1 || type === 2 ? bucket.valueMin : bucket.min;
    case "max":
      return type === 1 || type === 2 ? bucket.valueMax : bucket.max;
    case "rate":
      return isHistogram ? (bucket.count ?? 0) / stepSeconds : (bucket.valueSum ?? 0) / stepSeconds;
    default: {
      const q = Number(agg.slice(1)) / 100;
      return bucket.bounds && bucket.counts
        ? histogramQuantile(q, bucket.bounds, bucket.counts.map(Number), bucket.min, bucket.max)
        : null;
    }
  }
}

export function checkApplies(agg: Aggregation, type: number, name: string): void {
  const typeName = typeNames[type as keyof typeof typeNames] ?? "unknown";
  if (agg === "rate" && (type === 1 || type === 5)) {
    throw new DomainError(
      "BAD_REQUEST",
      `agg=rate needs a counter or histogram; ${name} is a ${typeName}`,
    );
  }
  if (agg.startsWith("p") && type !== 3) {
    throw new DomainError(
      "BAD_REQUEST",
      `agg=${agg} needs an explicit-bucket histogram; ${name} is a ${typeName}`,
    );
  }
}

/** A metric of a project over time: one value per step, aggregated across its series (per group). */
export async function queryMetricSeries(projectId: string, input: MetricQueryInput) {
  const parsed = metricQuerySchema.safeParse(withAttributeFilters(input));
  if (!parsed.success) throw new DomainError("BAD_REQUEST", describeIssues(parsed.error));
  const { name, service, agg, groupBy, where } = parsed.data;
  const { fromNs, toNs } = window(parsed.data.from, parsed.data.to);
  const stepNs = parsed.data.step ?? 60_000_000_000n;
  if (toNs <= fromNs) throw new DomainError("BAD_REQUEST", "to must be after from");
  if ((toNs - fromNs) / stepNs > BigInt(MAX_POINTS)) {
    throw new DomainError(
      "BAD_REQUEST",
      `from–to holds more than ${MAX_POINTS} steps; choose a larger step`,
    );
  }
  const result = await queryMetric(db().reads(), projectId, {
    name,
    service,
    where,
    groupBy,
    fromNs,
    toNs,
    stepNs,
  });
  if (result.type === null) {
    const filters = [
      service ? `service ${service}` : "",
      ...Object.entries(where).map(([key, value]) => `${key}=${value}`),
    ].filter(Boolean);
    throw new DomainError(
      "NOT_FOUND",
      `no metric named ${name}${filters.length ? ` with ${filters.join(", ")}` : ""} in this project`,
    );
  }
  checkApplies(agg, result.type, name);
  const type = result.type;
  const stepSeconds = Number(stepNs) / 1e9;
  const groups = new Map<string | null, MetricBucket[]>();
  for (const bucket of result.buckets) {
    const list = groups.get(bucket.group) ?? [];
    list.push(bucket);
    groups.set(bucket.group, list);
  }
  const series = [...groups].map(([group, buckets]) => ({
    group,
    points: buckets.map((bucket) => ({
      time: nsToIso(bucket.t),
      timeUnixMs: Number(BigInt(bucket.t) / 1_000_000n),
      value: aggregateStep(agg, type, bucket, stepSeconds),
    })),
  }));
  return {
    name,
    service: service ?? null,
    where,
    groupBy: groupBy ?? null,
    type: typeNames[type as keyof typeof typeNames],
    unit: result.unit,
    agg,
    from: nsToIso(fromNs),
    to: nsToIso(toNs),
    stepMs: Number(stepNs / 1_000_000n),
    /** What the values were computed from: raw points or minute/hour rollups. */
    resolution: resolutionNames[result.resolution],
    /** Without groupBy, the one series' points (also series[0]). */
    ...(groupBy ? {} : { points: series[0]?.points ?? [] }),
    series,
  };
}

export type MetricSeriesResult = Awaited<ReturnType<typeof queryMetricSeries>>;
