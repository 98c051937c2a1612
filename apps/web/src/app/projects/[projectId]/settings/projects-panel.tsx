"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input } from "@/components/ui/field.tsx";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

/** The organisation's projects; admins create new ones here (e.g. one per environment). */
export function ProjectsPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refetch = useRefetchAfterWrite();
  const current = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const projects = useQuery(trpc.projects.list.queryOptions());
  const create = useMutation(
    trpc.projects.create.mutationOptions({
      onSuccess: async (project) => {
        await refetch(trpc.projects.list.queryKey());
        router.push(`/projects/${project.id}/settings`);
        router.refresh();
      },
    }),
  );
  const siblings = projects.data?.filter(
    (project) => project.organizationId === current.data?.organizationId,
  );

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    create.mutate({ projectId, name: String(new FormData(event.currentTarget).get("name")) });
  }

  return (
    <Card
      title="Projects"
      description="Each project has its own services, telemetry and keys. Members of the organisation see all of them."
    >
      <div className="space-y-4">
        <ul className="flex flex-wrap gap-2 text-sm">
          {siblings?.map((project) => (
            <li key={project.id}>
              <Link
                href={`/projects/${project.id}`}
                aria-current={project.id === projectId ? "page" : undefined}
                className={`inline-block rounded-md border px-3 py-1 ${project.id === projectId ? "border-indigo-500 bg-indigo-50 text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300" : "border-zinc-300 hover:bg-zinc-100 dark:border-zinc-700 dark:hover:bg-zinc-800"}`}
              >
                {project.name}
              </Link>
            </li>
          ))}
        </ul>
        {current.data?.role === "admin" ? (
          <form onSubmit={onCreate} className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
            <Field label="New project">
              <Input name="name" placeholder="staging" required maxLength={80} />
            </Field>
            <Button type="submit" disabled={create.isPending}>
              Create project
            </Button>
          </form>
        ) : null}
        {create.error ? <Alert tone="error">{create.error.message}</Alert> : null}
      </div>
    </Card>
  );
}
