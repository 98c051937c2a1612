import { formatSeconds } from "@/domain/alerting/format.ts";
import type { RuleView } from "@/domain/alerting/rules.ts";
import { parseAttributeText } from "@/domain/telemetry/query-params.ts";

// The rule editor's fields as text, and the rule input they make (validated by the server).

export type RuleForm = {
  name: string;
  kind: "metric" | "registry" | "promql";
  /** A PromQL rule's expression. */
  expr: string;
  metric: string;
  service: string;
  filters: string;
  groupBy: string;
  agg: string;
  window: string;
  op: string;
  threshold: string;
  noData: "ok" | "alert";
  condition: "instance_critical" | "passing_below";
  interval: string;
  for: string;
  keepFiringFor: string;
  labels: string;
  summary: string;
  description: string;
};

export const emptyForm: RuleForm = {
  name: "",
  kind: "metric",
  expr: "",
  metric: "",
  service: "",
  filters: "",
  groupBy: "",
  agg: "avg",
  window: "5m",
  op: ">",
  threshold: "",
  noData: "ok",
  condition: "instance_critical",
  interval: "30s",
  for: "1m",
  keepFiringFor: "0s",
  labels: "severity=warning",
  summary: "",
  description: "",
};

const pairs = (map: Record<string, string>) =>
  Object.entries(map)
    .map(([key, value]) => `${key}=${value}`)
    .join(" ");

export function formOf(rule: RuleView): RuleForm {
  const { spec } = rule;
  const base = {
    ...emptyForm,
    name: rule.name,
    kind: spec.kind,
    service: spec.kind === "promql" ? "" : (spec.service ?? ""),
    interval: formatSeconds(rule.interval),
    for: formatSeconds(rule.for),
    keepFiringFor: formatSeconds(rule.keepFiringFor),
    labels: pairs(rule.labels),
    summary: rule.annotations.summary ?? "",
    description: rule.annotations.description ?? "",
  };
  if (spec.kind === "promql") return { ...base, expr: spec.expr };
  if (spec.kind === "registry")
    return {
      ...base,
      condition: spec.condition,
      threshold: spec.condition === "passing_below" ? String(spec.threshold) : "",
    };
  return {
    ...base,
    metric: spec.metric,
    filters: pairs(spec.where),
    groupBy: spec.groupBy ?? "",
    agg: spec.agg,
    window: formatSeconds(spec.window),
    op: spec.op,
    threshold: String(spec.threshold),
    noData: spec.noData,
  };
}

const number = (text: string) => (text.trim() === "" ? undefined : Number(text));

export function ruleOf(form: RuleForm): Record<string, unknown> {
  const service = form.service.trim() || undefined;
  const spec =
    form.kind === "promql"
      ? { kind: "promql", expr: form.expr.trim() }
      : form.kind === "metric"
        ? {
            kind: "metric",
            metric: form.metric.trim(),
            service,
            where: parseAttributeText(form.filters),
            groupBy: form.groupBy.trim() || undefined,
            agg: form.agg,
            window: form.window.trim(),
            op: form.op,
            threshold: number(form.threshold),
            noData: form.noData,
          }
        : {
            kind: "registry",
            condition: form.condition,
            service,
            ...(form.condition === "passing_below" ? { threshold: number(form.threshold) } : {}),
          };
  const annotations: Record<string, string> = {};
  if (form.summary.trim()) annotations.summary = form.summary.trim();
  if (form.description.trim()) annotations.description = form.description.trim();
  return {
    name: form.name.trim(),
    spec,
    interval: form.interval.trim(),
    for: form.for.trim(),
    keepFiringFor: form.keepFiringFor.trim(),
    labels: parseAttributeText(form.labels),
    annotations,
  };
}
