import { z } from "zod";
import { parseDuration } from "../../lib/duration.ts";
import { parsePromQL } from "../../prometheus/promql/parse.ts";
import { typeName, typeOf } from "../../prometheus/promql/value-types.ts";
import { aggregations } from "../telemetry/metrics-query.ts";
import { formatSeconds } from "./format.ts";
import { checkTemplate } from "./templates.ts";

// What a rule is, as the API, the UI and the YAML file give it. Durations are Go-style text
// ("30s", "5m", "1h") or seconds; everything is checked here, once, with messages that name
// the field.

export const comparisons = [">", ">=", "<", "<=", "==", "!="] as const;
export type Comparison = (typeof comparisons)[number];

export function compare(op: Comparison, value: number, threshold: number): boolean {
  switch (op) {
    case ">":
      return value > threshold;
    case ">=":
      return value >= threshold;
    case "<":
      return value < threshold;
    case "<=":
      return value <= threshold;
    case "==":
      return value === threshold;
    case "!=":
      return value !== threshold;
  }
}

const duration = (field: string, minSeconds: number, maxSeconds: number) =>
  z.union([z.string(), z.number()]).transform((raw, context) => {
    const ms = typeof raw === "number" ? raw * 1000 : parseDuration(raw);
    if (ms === null || !Number.isFinite(ms) || ms < minSeconds * 1000 || ms > maxSeconds * 1000) {
      context.addIssue({
        code: "custom",
        message: `${field} must be a duration from ${minSeconds}s to ${maxSeconds / 3600}h, like 30s, 5m or 1h`,
      });
      return z.NEVER;
    }
    return Math.round(ms / 1000);
  });

const labelName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    "label names use letters, digits and _ (not starting with a digit)",
  );
const templates = (what: string) =>
  z
    .record(labelName, z.string().max(2000, `${what} values are at most 2000 characters`))
    .default({})
    .superRefine((map, context) => {
      for (const [key, text] of Object.entries(map)) {
        try {
          checkTemplate(text);
        } catch (error) {
          context.addIssue({ code: "custom", path: [key], message: (error as Error).message });
        }
      }
    });

const serviceName = z.string().trim().min(1).max(255).optional();

export const metricSpec = z.object({
  kind: z.literal("metric"),
  metric: z.string({ error: "metric is required" }).trim().min(1, "metric is required"),
  service: serviceName,
  where: z.record(z.string().min(1), z.string()).default({}),
  groupBy: z.string().trim().min(1).max(255).optional(),
  agg: z.enum(aggregations, `agg must be one of ${aggregations.join(", ")}`).default("avg"),
  window: duration("window", 10, 86_400).default(300),
  op: z.enum(comparisons, `op must be one of ${comparisons.join(" ")}`),
  threshold: z.number({ error: "threshold must be a number" }).finite(),
  /** What a series that stops reporting does: nothing ("ok") or alert ("alert"). */
  noData: z.enum(["ok", "alert"], "noData must be ok or alert").default("ok"),
});

export const registrySpec = z.discriminatedUnion(
  "condition",
  [
    z.object({
      kind: z.literal("registry"),
      condition: z.literal("instance_critical"),
      service: serviceName,
    }),
    z.object({
      kind: z.literal("registry"),
      condition: z.literal("passing_below"),
      service: serviceName,
      threshold: z.number().int("threshold must be a whole number of instances").min(1),
    }),
  ],
  { error: "condition must be instance_critical or passing_below (with a threshold)" },
);

/**
 * A PromQL expression, as in a Prometheus rule file: every element of its result is an alert
 * (labelled with the element's labels), so the condition is written into the expression.
 */
export const promqlSpec = z.object({
  kind: z.literal("promql"),
  expr: z
    .string({ error: "expr is required (a PromQL expression)" })
    .trim()
    .min(1, "expr is required (a PromQL expression)")
    .max(8000, "expr is at most 8000 characters")
    .superRefine((text, context) => {
      try {
        const type = typeOf(parsePromQL(text));
        if (type !== "vector" && type !== "scalar")
          context.addIssue({
            code: "custom",
            message: `expr must give an instant vector or a scalar, not a ${typeName(type)}`,
          });
      } catch (error) {
        context.addIssue({ code: "custom", message: `expr: ${(error as Error).message}` });
      }
    }),
});

const specs = { metric: metricSpec, registry: registrySpec, promql: promqlSpec } as const;

/** A metric, registry or PromQL spec, with the chosen kind's own messages (not a union's summary). */
export const ruleSpec = z
  .looseObject({
    kind: z.enum(["metric", "registry", "promql"], "spec.kind must be metric, registry or promql"),
  })
  .transform(
    (
      value,
      context,
    ):
      | z.output<typeof metricSpec>
      | z.output<typeof registrySpec>
      | z.output<typeof promqlSpec> => {
      const result = specs[value.kind].safeParse(value);
      if (result.success) return result.data;
      for (const issue of result.error.issues)
        context.addIssue({ code: "custom", message: issue.message, path: issue.path });
      return z.NEVER;
    },
  );
export type RuleSpec = z.output<typeof ruleSpec>;
export type MetricSpec = z.output<typeof metricSpec>;
export type RegistrySpec = z.output<typeof registrySpec>;
export type PromqlSpec = z.output<typeof promqlSpec>;

export const ruleInput = z.object({
  name: z
    .string({ error: "name is required" })
    .trim()
    .min(1, "name is required")
    .max(120, "name is at most 120 characters"),
  spec: ruleSpec,
  interval: duration("interval", 1, 86_400).default(30),
  for: duration("for", 0, 86_400).default(0),
  keepFiringFor: duration("keepFiringFor", 0, 86_400).default(0),
  labels: templates("label"),
  annotations: templates("annotation"),
  enabled: z.boolean().default(true),
});
export type RuleInput = z.input<typeof ruleInput>;
export type ParsedRule = z.output<typeof ruleInput>;

/** The sentence that says what a rule checks, for lists and notifications. */
export function describeSpec(spec: RuleSpec): string {
  if (spec.kind === "promql") return spec.expr;
  if (spec.kind === "registry") {
    const scope = spec.service ? `of ${spec.service}` : "of any service";
    return spec.condition === "instance_critical"
      ? `an instance ${scope} is critical in the registry`
      : `fewer than ${spec.threshold} passing instances ${scope}`;
  }
  const filters = [
    spec.service ? `service=${spec.service}` : "",
    ...Object.entries(spec.where).map(([key, value]) => `${key}=${value}`),
  ].filter(Boolean);
  return `${spec.agg}(${spec.metric}${filters.length ? `{${filters.join(", ")}}` : ""}) over ${formatSeconds(spec.window)}${spec.groupBy ? ` by ${spec.groupBy}` : ""} ${spec.op} ${spec.threshold}`;
}
