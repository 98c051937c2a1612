"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

type Comparison = ">" | ">=" | "<" | "<=";
type Aggregation = "last" | "avg" | "max" | "min";

/** Health from telemetry: rules that turn a metric into a check on the instances emitting it. */
export function HealthRulesCard({ projectId, canEdit }: { projectId: string; canEdit: boolean }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const rules = useQuery(trpc.registry.rules.queryOptions({ projectId }));
  const invalidate = () => refetch(trpc.registry.rules.queryKey({ projectId }));
  const create = useMutation(trpc.registry.createRule.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.registry.deleteRule.mutationOptions({ onSuccess: invalidate }));
  const [comparison, setComparison] = useState<Comparison>(">");
  const [aggregation, setAggregation] = useState<Aggregation>("last");
  const [status, setStatus] = useState<"warning" | "critical">("warning");

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const target = event.currentTarget;
    create.mutate(
      {
        projectId,
        rule: {
          name: String(form.get("name")),
          metric: String(form.get("metric")),
          aggregation,
          windowSeconds: Number(form.get("window")),
          comparison,
          threshold: Number(form.get("threshold")),
          status,
        },
      },
      { onSuccess: () => target.reset() },
    );
  }

  return (
    <Card
      title="Health rules"
      description="A rule turns a metric into a check on the instances that emit it (matched by service name and instance ID), so ?passing steers traffic away from them. Evaluated every 5 seconds."
    >
      <div className="space-y-4">
        {rules.data?.length === 0 ? <p className="text-sm text-zinc-500">No rules yet.</p> : null}
        <ul className="space-y-1 text-sm">
          {rules.data?.map((rule) => (
            <li key={rule.id} className="flex items-center gap-3">
              <span className="font-medium">{rule.name}</span>
              <code className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800">
                {rule.aggregation}({rule.metric}) over {rule.windowSeconds}s {rule.comparison}{" "}
                {rule.threshold} → {rule.status}
              </code>
              {canEdit ? (
                <Button
                  variant="ghost"
                  aria-label={`Delete rule ${rule.name}`}
                  onClick={() => remove.mutate({ projectId, ruleId: rule.id })}
                >
                  Delete
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
        {canEdit ? (
          <form
            onSubmit={onCreate}
            className="grid gap-3 sm:grid-cols-[1fr_1.5fr_7rem_6rem_5rem_6rem_8rem_auto] sm:items-end"
          >
            <Field label="Rule name">
              <Input name="name" placeholder="replica lag" required maxLength={80} />
            </Field>
            <Field label="Metric">
              <Input name="metric" placeholder="postgresql.wal.delay" required />
            </Field>
            <Field label="Aggregation">
              <Select
                value={aggregation}
                onChange={(event) => setAggregation(event.target.value as Aggregation)}
              >
                <option value="last">last</option>
                <option value="avg">avg</option>
                <option value="max">max</option>
                <option value="min">min</option>
              </Select>
            </Field>
            <Field label="Window (s)">
              <Input name="window" type="number" min={10} max={86400} defaultValue={60} required />
            </Field>
            <Field label="Is">
              <Select
                value={comparison}
                onChange={(event) => setComparison(event.target.value as Comparison)}
              >
                <option value=">">&gt;</option>
                <option value=">=">&gt;=</option>
                <option value="<">&lt;</option>
                <option value="<=">&lt;=</option>
              </Select>
            </Field>
            <Field label="Threshold">
              <Input name="threshold" type="number" step="any" required />
            </Field>
            <Field label="Then">
              <Select
                value={status}
                onChange={(event) => setStatus(event.target.value as "warning" | "critical")}
              >
                <option value="warning">warning</option>
                <option value="critical">critical</option>
              </Select>
            </Field>
            <Button type="submit" disabled={create.isPending}>
              Add rule
            </Button>
          </form>
        ) : null}
        {create.error ? <Alert tone="error">{create.error.message}</Alert> : null}
      </div>
    </Card>
  );
}
