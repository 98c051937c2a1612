"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { Role } from "@vigil/db/types";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { NewSecret } from "@/components/ui/new-secret.tsx";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

const roleHelp =
  "Admins manage keys and members; editors change dashboards and alerts; viewers look.";

export function MembersPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const members = useQuery(trpc.members.list.queryOptions({ projectId }));
  const me = useQuery(trpc.me.get.queryOptions());
  const invalidate = () => refetch(trpc.members.list.queryKey({ projectId }));
  const add = useMutation(trpc.members.add.mutationOptions({ onSuccess: invalidate }));
  const setRole = useMutation(trpc.members.setRole.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: invalidate }));
  const [role, setNewRole] = useState<Role>("viewer");
  const isAdmin = project.data?.role === "admin";
  const error = add.error ?? setRole.error ?? remove.error ?? members.error;

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    add.mutate(
      { projectId, email: String(new FormData(form).get("email")), role },
      { onSuccess: () => form.reset() },
    );
  }

  return (
    <Card
      title="Members"
      description={`People in ${project.data?.organizationName ?? "this organisation"}; they see all of its projects. ${roleHelp}`}
    >
      <div className="space-y-5">
        {isAdmin ? (
          <form onSubmit={onAdd} className="grid gap-3 sm:grid-cols-[1fr_10rem_auto] sm:items-end">
            <Field label="Email">
              <Input name="email" type="email" placeholder="dana@example.com" required />
            </Field>
            <Field label="Role">
              <Select value={role} onChange={(event) => setNewRole(event.target.value as Role)}>
                <option value="viewer">viewer</option>
                <option value="editor">editor</option>
                <option value="admin">admin</option>
              </Select>
            </Field>
            <Button type="submit" disabled={add.isPending}>
              Add member
            </Button>
          </form>
        ) : null}
        {add.data?.initialPassword ? (
          <NewSecret
            label={`Account created for ${add.data.member.email}; give them this one-time password`}
            secret={add.data.initialPassword}
            onDismiss={() => add.reset()}
          />
        ) : null}
        {error ? <Alert tone="error">{error.message}</Alert> : null}
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {members.data?.map((member) => (
            <li key={member.userId} className="flex items-center gap-4 py-2 text-sm">
              <div className="min-w-0 flex-1">
                <div className="font-medium">{member.name}</div>
                <div className="truncate text-zinc-500">{member.email}</div>
              </div>
              {isAdmin && member.userId !== me.data?.id ? (
                <>
                  <Select
                    aria-label={`Role of ${member.email}`}
                    className="w-32"
                    value={member.role}
                    onChange={(event) =>
                      setRole.mutate({
                        projectId,
                        userId: member.userId,
                        role: event.target.value as Role,
                      })
                    }
                  >
                    <option value="viewer">viewer</option>
                    <option value="editor">editor</option>
                    <option value="admin">admin</option>
                  </Select>
                  <Button
                    variant="danger"
                    onClick={() => {
                      if (window.confirm(`Remove ${member.email} from the organisation?`))
                        remove.mutate({ projectId, userId: member.userId });
                    }}
                  >
                    Remove
                  </Button>
                </>
              ) : (
                <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
                  {member.role}
                </span>
              )}
            </li>
          ))}
        </ul>
      </div>
    </Card>
  );
}
