"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type ReactNode, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { formatValue } from "@/domain/alerting/format.ts";
import { useTRPC } from "@/trpc/react.tsx";
import { LabelList } from "../state-badge.tsx";
import { PreviewChart } from "./preview-chart.tsx";
import { emptyForm, type RuleForm, ruleOf } from "./rule-form.ts";

const AGGREGATIONS = ["avg", "sum", "min", "max", "rate", "p50", "p95", "p99"];
const COMPARISONS = [">", ">=", "<", "<=", "==", "!="];

function Row({ children }: { children: ReactNode }) {
  return <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">{children}</div>;
}

/** Creates or edits a rule; "Preview" shows what it would have done over the last hours first. */
export function RuleEditor({
  projectId,
  ruleId,
  initial = emptyForm,
  canEdit,
}: {
  projectId: string;
  ruleId?: string;
  initial?: RuleForm;
  canEdit: boolean;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [form, setForm] = useState<RuleForm>(initial);
  const [previewed, setPreviewed] = useState<{
    rule: Record<string, unknown>;
    hours: number;
  } | null>(null);
  const [hours, setHours] = useState(3);
  const set =
    <K extends keyof RuleForm>(key: K) =>
    (event: { target: { value: string } }) =>
      setForm((current) => ({ ...current, [key]: event.target.value as RuleForm[K] }));
  const preview = useQuery({
    ...trpc.alerting.preview.queryOptions({
      projectId,
      rule: previewed?.rule ?? {},
      hours: previewed?.hours,
    }),
    enabled: previewed !== null,
    retry: false,
  });
  const onSaved = (rule: { id: string }) => {
    router.push(`/projects/${projectId}/alerts/rules/${rule.id}`);
    router.refresh();
  };
  const create = useMutation(trpc.alerting.createRule.mutationOptions({ onSuccess: onSaved }));
  const update = useMutation(
    trpc.alerting.updateRule.mutationOptions({ onSuccess: () => router.refresh() }),
  );
  const remove = useMutation(
    trpc.alerting.deleteRule.mutationOptions({
      onSuccess: () => router.push(`/projects/${projectId}/alerts/rules`),
    }),
  );
  const save = () => {
    const rule = ruleOf(form);
    if (ruleId) update.mutate({ projectId, ruleId, rule });
    else create.mutate({ projectId, rule });
  };
  const error = create.error ?? update.error ?? remove.error;
  const threshold = form.threshold.trim() === "" ? null : Number(form.threshold);

  return (
    <div className="space-y-6">
      <Card
        title={ruleId ? "Rule" : "New rule"}
        description={`${form.kind === "promql" ? "Every element of the expression's value" : "Each group-by value"} is its own alert. Labels and annotations may use {{ $labels.<name> }} and {{ $value }}.`}
      >
        <form
          className="space-y-4"
          onSubmit={(event) => {
            event.preventDefault();
            save();
          }}
        >
          <Row>
            <Field label="Name (alertname)">
              <Input
                value={form.name}
                onChange={set("name")}
                placeholder="CheckoutSlow"
                required
                disabled={!canEdit}
              />
            </Field>
            <Field label="Watches">
              <Select value={form.kind} onChange={set("kind")} disabled={!canEdit}>
                <option value="metric">a metric</option>
                <option value="registry">the registry</option>
                <option value="promql">a PromQL expression</option>
              </Select>
            </Field>
            {form.kind === "promql" ? null : (
              <Field label="Service" hint="empty: every service">
                <Input
                  value={form.service}
                  onChange={set("service")}
                  placeholder="checkout"
                  disabled={!canEdit}
                />
              </Field>
            )}
          </Row>
          {form.kind === "promql" ? (
            <Field
              label="Expression"
              hint="every element of its result is an alert, as in a Prometheus rule"
            >
              <Input
                value={form.expr}
                onChange={set("expr")}
                placeholder='sum by (job) (rate(http_requests_total{code=~"5.."}[5m])) > 1'
                className="font-mono"
                spellCheck={false}
                required
                disabled={!canEdit}
              />
            </Field>
          ) : form.kind === "metric" ? (
            <>
              <Row>
                <Field label="Metric">
                  <Input
                    value={form.metric}
                    onChange={set("metric")}
                    placeholder="http.server.request.duration"
                    required
                    disabled={!canEdit}
                  />
                </Field>
                <Field label="Filters" hint="attribute=value, space-separated">
                  <Input
                    value={form.filters}
                    onChange={set("filters")}
                    placeholder="http.route=/pay"
                    disabled={!canEdit}
                  />
                </Field>
                <Field label="Group by" hint="an attribute, service.name or service.instance.id">
                  <Input
                    value={form.groupBy}
                    onChange={set("groupBy")}
                    placeholder="service.instance.id"
                    disabled={!canEdit}
                  />
                </Field>
                <Field label="Aggregation">
                  <Select value={form.agg} onChange={set("agg")} disabled={!canEdit}>
                    {AGGREGATIONS.map((agg) => (
                      <option key={agg}>{agg}</option>
                    ))}
                  </Select>
                </Field>
              </Row>
              <Row>
                <Field label="Over the last">
                  <Input
                    value={form.window}
                    onChange={set("window")}
                    placeholder="5m"
                    disabled={!canEdit}
                  />
                </Field>
                <Field label="Is">
                  <Select value={form.op} onChange={set("op")} disabled={!canEdit}>
                    {COMPARISONS.map((op) => (
                      <option key={op}>{op}</option>
                    ))}
                  </Select>
                </Field>
                <Field label="Threshold">
                  <Input
                    value={form.threshold}
                    onChange={set("threshold")}
                    inputMode="decimal"
                    required
                    disabled={!canEdit}
                  />
                </Field>
                <Field label="When it stops reporting">
                  <Select value={form.noData} onChange={set("noData")} disabled={!canEdit}>
                    <option value="ok">stay quiet</option>
                    <option value="alert">alert (telemetry stopped)</option>
                  </Select>
                </Field>
              </Row>
            </>
          ) : (
            <Row>
              <Field label="Condition">
                <Select value={form.condition} onChange={set("condition")} disabled={!canEdit}>
                  <option value="instance_critical">an instance is critical</option>
                  <option value="passing_below">fewer passing instances than</option>
                </Select>
              </Field>
              {form.condition === "passing_below" ? (
                <Field label="Passing instances at least">
                  <Input
                    value={form.threshold}
                    onChange={set("threshold")}
                    inputMode="numeric"
                    required
                    disabled={!canEdit}
                  />
                </Field>
              ) : null}
            </Row>
          )}
          <Row>
            <Field label="Evaluate every">
              <Input value={form.interval} onChange={set("interval")} disabled={!canEdit} />
            </Field>
            <Field label="Pending for" hint="how long it must hold before it fires">
              <Input value={form.for} onChange={set("for")} disabled={!canEdit} />
            </Field>
            <Field label="Keep firing for" hint="after the condition clears">
              <Input
                value={form.keepFiringFor}
                onChange={set("keepFiringFor")}
                disabled={!canEdit}
              />
            </Field>
            <Field label="Labels" hint="severity=critical team=payments">
              <Input value={form.labels} onChange={set("labels")} disabled={!canEdit} />
            </Field>
          </Row>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Summary">
              <Input
                value={form.summary}
                onChange={set("summary")}
                placeholder="p95 of {{ $labels.service }} is {{ $value }} s"
                disabled={!canEdit}
              />
            </Field>
            <Field label="Description">
              <Input value={form.description} onChange={set("description")} disabled={!canEdit} />
            </Field>
          </div>
          <div className="flex flex-wrap items-center gap-2">
            <Button variant="secondary" onClick={() => setPreviewed({ rule: ruleOf(form), hours })}>
              Preview
            </Button>
            <div className="w-32">
              <Select
                aria-label="Preview hours"
                value={String(hours)}
                onChange={(event) => setHours(Number(event.target.value))}
              >
                {[1, 3, 6, 12, 24].map((h) => (
                  <option key={h} value={h}>
                    last {h} h
                  </option>
                ))}
              </Select>
            </div>
            {canEdit ? (
              <Button type="submit" disabled={create.isPending || update.isPending}>
                {ruleId ? "Save rule" : "Create rule"}
              </Button>
            ) : null}
            {canEdit && ruleId ? (
              <Button variant="danger" onClick={() => remove.mutate({ projectId, ruleId })}>
                Delete
              </Button>
            ) : null}
            {update.isSuccess ? <span className="text-sm text-emerald-700">Saved.</span> : null}
          </div>
          {error ? <Alert tone="error">{error.message}</Alert> : null}
        </form>
      </Card>
      {previewed ? (
        <Card title="Preview" description={preview.data?.note ?? "What this rule would have done."}>
          {preview.error ? <Alert tone="error">{preview.error.message}</Alert> : null}
          {preview.isFetching ? <p className="text-sm text-zinc-500">Evaluating…</p> : null}
          {preview.data?.groups.length === 0 ? (
            <p className="text-sm text-zinc-500">No series match this rule.</p>
          ) : null}
          <div className="space-y-4">
            {preview.data?.groups.map((group, index) => {
              const last = group.points.at(-1);
              return (
                <div key={JSON.stringify(group.labels)} className="space-y-1">
                  <div className="flex flex-wrap items-center gap-3 text-sm">
                    <LabelList
                      labels={group.labels}
                      skip={["alertname", ...Object.keys(ruleOf(form).labels as object)]}
                    />
                    <span
                      data-testid="preview-summary"
                      className="text-zinc-600 dark:text-zinc-400"
                    >
                      {group.fired === 0
                        ? "would not have fired"
                        : `would have fired ${group.fired} ${group.fired === 1 ? "time" : "times"}`}
                      {last ? ` · now ${last.state}, ${formatValue(last.value)}` : ""}
                    </span>
                  </div>
                  {preview.data?.kind === "metric" ? (
                    <PreviewChart group={group} threshold={threshold} index={index} />
                  ) : null}
                </div>
              );
            })}
          </div>
        </Card>
      ) : null}
    </div>
  );
}
