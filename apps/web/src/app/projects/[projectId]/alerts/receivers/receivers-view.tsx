"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input } from "@/components/ui/field.tsx";
import { NewSecret } from "@/components/ui/new-secret.tsx";
import { formatWhen } from "@/lib/format.ts";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";
import { DeliveryLog } from "./delivery-log.tsx";

/** "Name: value" lines to a header map. */
function headersOf(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean)
      .map((line) => {
        const colon = line.indexOf(":");
        return colon < 0 ? [line, ""] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
      }),
  );
}

/** Webhook receivers: add one (its secret is shown once), test it, and read what was sent to it. */
export function ReceiversView({ projectId, isAdmin }: { projectId: string; isAdmin: boolean }) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const receivers = useQuery(trpc.alerting.receivers.queryOptions({ projectId }));
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const invalidate = () => refetch(trpc.alerting.receivers.queryKey({ projectId }));
  const create = useMutation(
    trpc.alerting.createReceiver.mutationOptions({
      onSuccess: (result) => {
        setSecret({ name: result.receiver.name, secret: result.secret });
        void invalidate();
      },
    }),
  );
  const rotate = useMutation(trpc.alerting.rotateSecret.mutationOptions());
  const update = useMutation(
    trpc.alerting.updateReceiver.mutationOptions({ onSuccess: invalidate }),
  );
  const remove = useMutation(
    trpc.alerting.deleteReceiver.mutationOptions({ onSuccess: invalidate }),
  );
  const test = useMutation(
    trpc.alerting.sendTest.mutationOptions({
      onSettled: () => refetch(trpc.alerting.notifications.queryKey()),
    }),
  );

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const target = event.currentTarget;
    const form = new FormData(target);
    create.mutate(
      {
        projectId,
        receiver: {
          name: String(form.get("name")),
          url: String(form.get("url")),
          headers: headersOf(String(form.get("headers") ?? "")),
          bodyTemplate: String(form.get("bodyTemplate") ?? "") || null,
        },
      },
      { onSuccess: () => target.reset() },
    );
  }

  return (
    <div className="space-y-6">
      {secret ? (
        <NewSecret
          label={`Signing secret of ${secret.name} (verify webhook-signature with it, as the Standard Webhooks libraries do)`}
          secret={secret.secret}
          onDismiss={() => setSecret(null)}
        />
      ) : null}
      {isAdmin ? (
        <Card
          title="Add a receiver"
          description="Notifications are Alertmanager v4 JSON, signed with Standard Webhooks headers. The URL is checked against internal addresses on save and on every delivery."
        >
          <form onSubmit={onCreate} className="space-y-3">
            <div className="grid gap-3 sm:grid-cols-[1fr_2fr]">
              <Field label="Receiver name">
                <Input name="name" placeholder="ops" required maxLength={80} />
              </Field>
              <Field label="Webhook URL">
                <Input
                  name="url"
                  type="url"
                  placeholder="https://hooks.example.com/alerts"
                  required
                />
              </Field>
            </div>
            <div className="grid gap-3 sm:grid-cols-2">
              <Field
                label="Extra headers"
                hint="one “Name: value” per line; values are kept encrypted and not shown again"
              >
                <textarea
                  name="headers"
                  rows={2}
                  className="w-full rounded-md border border-zinc-300 px-3 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
                />
              </Field>
              <Field
                label="Body template (optional)"
                hint='for chat tools, e.g. {"text": "{{ status }}: {{ alerts.summary }}"}'
              >
                <textarea
                  name="bodyTemplate"
                  rows={2}
                  className="w-full rounded-md border border-zinc-300 px-3 py-1.5 font-mono text-xs dark:border-zinc-700 dark:bg-zinc-900"
                />
              </Field>
            </div>
            <Button type="submit" disabled={create.isPending}>
              Add receiver
            </Button>
            {create.error ? <Alert tone="error">{create.error.message}</Alert> : null}
          </form>
        </Card>
      ) : null}
      {receivers.data?.length === 0 ? (
        <Alert tone="info">
          No receivers yet: alerts are recorded in the history but sent nowhere.
        </Alert>
      ) : null}
      {receivers.data?.map((receiver) => (
        <Card
          key={receiver.id}
          title={receiver.name}
          description={
            <span className="font-mono text-xs">
              {receiver.url}
              {receiver.headerNames.length ? ` · headers: ${receiver.headerNames.join(", ")}` : ""}
              {receiver.bodyTemplate ? " · templated body" : ""}
              {receiver.provisioned ? " · from file" : ""}
            </span>
          }
          actions={
            isAdmin ? (
              <div className="flex flex-wrap gap-2">
                <Button
                  variant="secondary"
                  onClick={() => test.mutate({ projectId, receiverId: receiver.id })}
                  disabled={test.isPending}
                >
                  Send test
                </Button>
                <Button
                  variant="ghost"
                  onClick={() =>
                    rotate.mutate(
                      { projectId, receiverId: receiver.id },
                      {
                        onSuccess: (result) =>
                          setSecret({ name: receiver.name, secret: result.secret }),
                      },
                    )
                  }
                >
                  Rotate secret
                </Button>
                <Button
                  variant="ghost"
                  onClick={() =>
                    update.mutate({
                      projectId,
                      receiverId: receiver.id,
                      receiver: { enabled: !receiver.enabled },
                    })
                  }
                >
                  {receiver.enabled ? "Disable" : "Enable"}
                </Button>
                <Button
                  variant="danger"
                  aria-label={`Delete receiver ${receiver.name}`}
                  onClick={() => remove.mutate({ projectId, receiverId: receiver.id })}
                >
                  Delete
                </Button>
              </div>
            ) : null
          }
        >
          {!receiver.enabled ? (
            <Alert tone="error">
              Disabled {receiver.disabledAt ? formatWhen(new Date(receiver.disabledAt)) : ""}:{" "}
              {receiver.disabledReason}. Enable it to send again.
            </Alert>
          ) : null}
          {test.data && test.variables?.receiverId === receiver.id ? (
            <div className="mb-3">
              <Alert tone={test.data.outcome === "delivered" ? "success" : "error"}>
                Test {test.data.outcome === "delivered" ? "delivered" : "failed"}
                {test.data.statusCode
                  ? ` (HTTP ${test.data.statusCode}, ${test.data.latencyMs} ms)`
                  : ""}
                {test.data.error ? `: ${test.data.error}` : "."}
              </Alert>
            </div>
          ) : null}
          <DeliveryLog projectId={projectId} receiverId={receiver.id} canReplay={isAdmin} />
        </Card>
      ))}
      {(update.error ?? remove.error ?? test.error) ? (
        <Alert tone="error">{(update.error ?? remove.error ?? test.error)?.message}</Alert>
      ) : null}
    </div>
  );
}
