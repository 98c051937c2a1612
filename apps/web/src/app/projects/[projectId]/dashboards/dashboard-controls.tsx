"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Field, Input } from "@/components/ui/field.tsx";
import { useTRPC } from "@/trpc/react.tsx";

/** Creates an empty dashboard and opens it. */
export function NewDashboard({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const create = useMutation(trpc.dashboards.create.mutationOptions());
  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const name = String(new FormData(event.currentTarget).get("name"));
    const dashboard = await create.mutateAsync({ projectId, name });
    router.push(`/projects/${projectId}/dashboards/${dashboard.id}`);
  }
  return (
    <form onSubmit={onCreate} className="flex flex-wrap items-end gap-3" aria-label="new dashboard">
      <Field label="New dashboard">
        <Input name="name" placeholder="Checkout health" required maxLength={80} className="w-64" />
      </Field>
      <Button type="submit" disabled={create.isPending}>
        Create
      </Button>
      {create.error ? <Alert tone="error">{create.error.message}</Alert> : null}
    </form>
  );
}

/** Renames or deletes a dashboard. */
export function DashboardActions({
  projectId,
  dashboardId,
  name,
}: {
  projectId: string;
  dashboardId: string;
  name: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const [renaming, setRenaming] = useState(false);
  const rename = useMutation(trpc.dashboards.rename.mutationOptions());
  const remove = useMutation(trpc.dashboards.delete.mutationOptions());
  const problem = rename.error?.message ?? remove.error?.message;
  return (
    <div className="mt-2 flex flex-wrap items-center gap-2">
      {renaming ? (
        <form
          className="flex items-center gap-2"
          aria-label="rename dashboard"
          onSubmit={async (event) => {
            event.preventDefault();
            const next = String(new FormData(event.currentTarget).get("name"));
            await rename.mutateAsync({ projectId, dashboardId, name: next });
            setRenaming(false);
            router.refresh();
          }}
        >
          <Input name="name" defaultValue={name} required maxLength={80} className="w-56" />
          <Button type="submit">Rename</Button>
          <Button variant="ghost" onClick={() => setRenaming(false)}>
            Cancel
          </Button>
        </form>
      ) : (
        <Button variant="ghost" onClick={() => setRenaming(true)}>
          Rename
        </Button>
      )}
      <Button
        variant="danger"
        onClick={async () => {
          if (!window.confirm(`Delete the dashboard “${name}” and its charts?`)) return;
          await remove.mutateAsync({ projectId, dashboardId });
          router.push(`/projects/${projectId}/dashboards`);
        }}
      >
        Delete dashboard
      </Button>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
    </div>
  );
}

/** Takes one chart off a dashboard. */
export function RemoveChart({
  projectId,
  dashboardId,
  chartId,
  title,
}: {
  projectId: string;
  dashboardId: string;
  chartId: string;
  title: string;
}) {
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.dashboards.removeChart.mutationOptions());
  return (
    <Button
      variant="ghost"
      aria-label={`Remove chart ${title}`}
      disabled={remove.isPending}
      onClick={async () => {
        await remove.mutateAsync({ projectId, dashboardId, chartId });
        router.refresh();
      }}
    >
      Remove
    </Button>
  );
}
