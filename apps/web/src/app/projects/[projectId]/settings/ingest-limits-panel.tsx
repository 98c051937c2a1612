"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input } from "@/components/ui/field.tsx";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

const fields = [
  {
    key: "seriesPerRequest",
    label: "Series per request",
    hint: "distinct metric series one OTLP request may hold",
  },
  {
    key: "newSeriesPerMinute",
    label: "New series per minute",
    hint: "series the project may create each minute",
  },
] as const;

/** How many series the project may send; points past a limit are refused and counted. */
export function IngestLimitsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const current = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const limits = useQuery(trpc.projects.ingestLimits.queryOptions({ projectId }));
  const save = useMutation(
    trpc.projects.setIngestLimits.mutationOptions({
      onSuccess: () => refetch(trpc.projects.ingestLimits.queryKey({ projectId })),
    }),
  );
  const isAdmin = current.data?.role === "admin";

  function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    save.mutate({
      projectId,
      limits: Object.fromEntries(fields.map((field) => [field.key, Number(form.get(field.key))])),
    });
  }

  return (
    <Card
      title="Ingest limits"
      description="Metric points past a limit are refused with a message to the sender (OTLP partial success) and counted in Vigil's /metrics."
    >
      {limits.data ? (
        <form
          onSubmit={onSave}
          className="space-y-3"
          aria-label="ingest limits"
          key={`${limits.data.seriesPerRequest}-${limits.data.newSeriesPerMinute}`}
        >
          <div className="flex flex-wrap gap-4">
            {fields.map((field) => (
              <Field key={field.key} label={field.label} hint={field.hint}>
                <Input
                  name={field.key}
                  type="number"
                  min={1}
                  step={1}
                  required
                  disabled={!isAdmin}
                  defaultValue={limits.data[field.key]}
                  className="w-40"
                />
              </Field>
            ))}
          </div>
          {isAdmin ? (
            <Button type="submit" disabled={save.isPending}>
              Save limits
            </Button>
          ) : (
            <p className="text-xs text-zinc-500">Only admins change limits.</p>
          )}
          {save.error ? <Alert tone="error">{save.error.message}</Alert> : null}
          {save.isSuccess ? <Alert tone="success">Limits saved.</Alert> : null}
        </form>
      ) : null}
    </Card>
  );
}
