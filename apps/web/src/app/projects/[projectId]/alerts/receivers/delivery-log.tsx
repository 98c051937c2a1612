"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { Button } from "@/components/ui/button.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { formatWhen } from "@/lib/format.ts";
import { useRefetchAfterWrite, useTRPC } from "@/trpc/react.tsx";
import { StateBadge } from "../state-badge.tsx";

/** A receiver's notifications, newest first, each with every attempt; failed ones can be replayed. */
export function DeliveryLog({
  projectId,
  receiverId,
  canReplay,
}: {
  projectId: string;
  receiverId: string;
  canReplay: boolean;
}) {
  const trpc = useTRPC();
  const refetch = useRefetchAfterWrite();
  const log = useQuery({
    ...trpc.alerting.notifications.queryOptions({ projectId, receiverId, limit: 20 }),
    refetchInterval: 5000,
    staleTime: 0,
  });
  const replay = useMutation(
    trpc.alerting.replay.mutationOptions({
      onSuccess: () => refetch(trpc.alerting.notifications.queryKey()),
    }),
  );
  const [open, setOpen] = useState<string | null>(null);
  if (!log.data) return <p className="text-sm text-zinc-500">Loading the delivery log…</p>;
  if (log.data.length === 0)
    return (
      <p className="text-sm text-zinc-500">
        Nothing sent yet. “Send test” sends a sample notification.
      </p>
    );
  return (
    <DataTable columns={["Created", "Notification", "Delivery", "Attempts", "Last answer", ""]}>
      {log.data?.map((notification) => {
        const last = notification.attemptLog.at(-1);
        return (
          <Fragment key={notification.id}>
            <tr aria-label={`notification ${notification.id}`}>
              <td className="py-2 pr-4 whitespace-nowrap text-zinc-500">
                {formatWhen(new Date(notification.createdAt))}
              </td>
              <td className="py-2 pr-4">
                <StateBadge state={notification.alertStatus} />{" "}
                <span className="text-xs text-zinc-500">
                  {notification.alerts} {notification.alerts === 1 ? "alert" : "alerts"} ·{" "}
                  {notification.groupKey === "test" ? "test" : notification.groupKey}
                </span>
              </td>
              <td className="py-2 pr-4">
                <StateBadge state={notification.status} />
              </td>
              <td className="py-2 pr-4 tabular-nums">{notification.attempts}</td>
              <td className="py-2 pr-4 text-xs">
                {last
                  ? `${last.statusCode ? `HTTP ${last.statusCode}` : "no answer"} · ${last.latencyMs} ms`
                  : "—"}
                {notification.lastError ? (
                  <div className="text-red-600">{notification.lastError}</div>
                ) : null}
                {notification.nextAttemptAt ? (
                  <div className="text-zinc-500">
                    next try {formatWhen(new Date(notification.nextAttemptAt))}
                  </div>
                ) : null}
              </td>
              <td className="py-2 whitespace-nowrap">
                <Button
                  variant="ghost"
                  onClick={() => setOpen(open === notification.id ? null : notification.id)}
                >
                  {open === notification.id ? "Hide" : "Details"}
                </Button>
                {canReplay && notification.status !== "pending" ? (
                  <Button
                    variant="ghost"
                    onClick={() => replay.mutate({ projectId, notificationId: notification.id })}
                  >
                    Replay
                  </Button>
                ) : null}
              </td>
            </tr>
            {open === notification.id ? (
              <tr>
                <td colSpan={6} className="bg-zinc-50 p-3 dark:bg-zinc-950">
                  <p className="mb-2 font-mono text-xs">webhook-id {notification.id}</p>
                  <ol className="mb-2 space-y-1 text-xs">
                    {notification.attemptLog.map((attempt) => (
                      <li key={String(attempt.at)}>
                        {formatWhen(new Date(attempt.at))} · {attempt.outcome} ·{" "}
                        {attempt.statusCode ? `HTTP ${attempt.statusCode}` : "no answer"} ·{" "}
                        {attempt.latencyMs} ms
                        {attempt.error ? ` · ${attempt.error}` : ""}
                        {attempt.responseExcerpt ? (
                          <code className="ml-2 text-zinc-500">
                            {attempt.responseExcerpt.slice(0, 200)}
                          </code>
                        ) : null}
                      </li>
                    ))}
                  </ol>
                  <pre className="max-h-64 overflow-auto rounded bg-white p-2 text-xs dark:bg-zinc-900">
                    {prettyBody(notification.body)}
                  </pre>
                </td>
              </tr>
            ) : null}
          </Fragment>
        );
      })}
    </DataTable>
  );
}

function prettyBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
