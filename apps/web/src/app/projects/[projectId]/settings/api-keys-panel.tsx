"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import type { KeyScope } from "@vigil/db/types";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { NewSecret } from "@/components/ui/new-secret.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { formatWhen } from "@/lib/format.ts";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";

const scopeHelp: Record<KeyScope, string> = {
  ingest: "write-only: OTLP traces, metrics, logs and registry heartbeats",
  read: "the read API (/api/v1)",
  admin: "the read API and managing alerts, rules and keys over HTTP",
};

export function ApiKeysPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const isAdmin = project.data?.role === "admin";
  const keys = useQuery({ ...trpc.keys.list.queryOptions({ projectId }), enabled: isAdmin });
  const invalidate = () => refetch(trpc.keys.list.queryKey({ projectId }));
  const create = useMutation(trpc.keys.create.mutationOptions({ onSuccess: invalidate }));
  const revoke = useMutation(trpc.keys.revoke.mutationOptions({ onSuccess: invalidate }));
  const [scope, setScope] = useState<KeyScope>("ingest");

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const name = String(new FormData(form).get("name"));
    create.mutate({ projectId, name, scope }, { onSuccess: () => form.reset() });
  }

  if (project.data && !isAdmin) {
    return (
      <Card
        title="API keys"
        description="Services send telemetry with ingest keys; scripts read with read or admin keys."
      >
        <p className="text-sm text-zinc-500">
          Only admins can see and manage API keys. Ask an admin of this organisation for a key.
        </p>
      </Card>
    );
  }

  return (
    <Card
      title="API keys"
      description="Services send telemetry with ingest keys; scripts read with read or admin keys. A key's secret is shown once, when it is created."
    >
      <div className="space-y-5">
        <form onSubmit={onCreate} className="grid gap-3 sm:grid-cols-[1fr_14rem_auto] sm:items-end">
          <Field label="Name">
            <Input name="name" placeholder="checkout-service production" required maxLength={80} />
          </Field>
          <Field label="Scope">
            <Select
              name="scope"
              value={scope}
              onChange={(event) => setScope(event.target.value as KeyScope)}
            >
              <option value="ingest">ingest</option>
              <option value="read">read</option>
              <option value="admin">admin</option>
            </Select>
          </Field>
          <Button type="submit" disabled={create.isPending}>
            {create.isPending ? "Creating…" : "Create key"}
          </Button>
          <p className="text-xs text-zinc-500 sm:col-span-3">
            <strong>{scope}</strong>: {scopeHelp[scope]}
          </p>
        </form>
        {create.error ? <Alert tone="error">{create.error.message}</Alert> : null}
        {create.data ? (
          <NewSecret
            label={`Key "${create.data.key.name}" created`}
            secret={create.data.secret}
            onDismiss={() => create.reset()}
          />
        ) : null}
        {revoke.error ? <Alert tone="error">{revoke.error.message}</Alert> : null}
        {keys.error ? <Alert tone="error">{keys.error.message}</Alert> : null}
        {keys.data?.length === 0 ? <p className="text-sm text-zinc-500">No keys yet.</p> : null}
        {keys.data && keys.data.length > 0 ? (
          <DataTable columns={["Name", "Key", "Scope", "Created", "Last used", ""]}>
            {keys.data.map((key) => (
              <tr key={key.id} className={key.revokedAt ? "text-zinc-400" : undefined}>
                <td className="py-2 pr-4 font-medium">{key.name}</td>
                <td className="py-2 pr-4 font-mono text-xs">{key.prefix}…</td>
                <td className="py-2 pr-4">
                  <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800">
                    {key.scope}
                  </span>
                </td>
                <td className="py-2 pr-4" title={key.createdBy ?? "created at start-up"}>
                  {formatWhen(key.createdAt)}
                </td>
                <td className="py-2 pr-4">
                  {key.lastUsedAt ? formatWhen(key.lastUsedAt) : "never"}
                </td>
                <td className="py-2 text-right">
                  {key.revokedAt ? (
                    <span className="text-xs">revoked {formatWhen(key.revokedAt)}</span>
                  ) : (
                    <Button
                      variant="danger"
                      aria-label={`Revoke ${key.name}`}
                      disabled={revoke.isPending}
                      onClick={() => {
                        if (
                          window.confirm(
                            `Revoke "${key.name}"? Anything using it is refused from now on.`,
                          )
                        ) {
                          revoke.mutate({ projectId, keyId: key.id });
                        }
                      }}
                    >
                      Revoke
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
      </div>
    </Card>
  );
}
