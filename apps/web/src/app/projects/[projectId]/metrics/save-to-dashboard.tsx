"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import type { ChartQuery } from "@/domain/dashboards/chart-query.ts";
import { useTRPC } from "@/trpc/react.tsx";

const NEW = "new";

/** Saves the explorer's chart to an existing dashboard or a new one. */
export function SaveToDashboard({
  projectId,
  query,
  title,
  dashboards,
}: {
  projectId: string;
  query: ChartQuery;
  title: string;
  dashboards: { id: string; name: string }[];
}) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [target, setTarget] = useState(dashboards[0]?.id ?? NEW);
  const [saved, setSaved] = useState<{ id: string; name: string } | null>(null);
  const create = useMutation(trpc.dashboards.create.mutationOptions());
  const add = useMutation(trpc.dashboards.addChart.mutationOptions());
  const problem = create.error?.message ?? add.error?.message;

  async function onSave(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const dashboard =
      target === NEW
        ? await create.mutateAsync({ projectId, name: String(form.get("dashboard")) })
        : (dashboards.find((d) => d.id === target) ?? null);
    if (!dashboard) return;
    await add.mutateAsync({
      projectId,
      dashboardId: dashboard.id,
      chart: { title: String(form.get("title")), query },
    });
    setSaved({ id: dashboard.id, name: dashboard.name });
    setOpen(false);
  }

  if (!open) {
    return (
      <div className="flex items-center gap-3 text-sm">
        {saved ? (
          <span role="status">
            Saved to{" "}
            <Link
              className="text-indigo-600 hover:underline dark:text-indigo-400"
              href={`/projects/${projectId}/dashboards/${saved.id}`}
            >
              {saved.name}
            </Link>
          </span>
        ) : null}
        <Button variant="secondary" onClick={() => setOpen(true)}>
          Save to dashboard
        </Button>
      </div>
    );
  }
  return (
    <form
      onSubmit={onSave}
      className="flex flex-wrap items-end gap-2"
      aria-label="save to dashboard"
    >
      <Field label="Chart title">
        <Input name="title" defaultValue={title} required maxLength={120} className="w-64" />
      </Field>
      <Field label="Dashboard">
        <Select value={target} onChange={(event) => setTarget(event.target.value)}>
          {dashboards.map((dashboard) => (
            <option key={dashboard.id} value={dashboard.id}>
              {dashboard.name}
            </option>
          ))}
          <option value={NEW}>New dashboard…</option>
        </Select>
      </Field>
      {target === NEW ? (
        <Field label="New dashboard name">
          <Input name="dashboard" required maxLength={80} className="w-44" />
        </Field>
      ) : null}
      <Button type="submit" disabled={create.isPending || add.isPending}>
        Save
      </Button>
      <Button variant="ghost" onClick={() => setOpen(false)}>
        Cancel
      </Button>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
    </form>
  );
}
