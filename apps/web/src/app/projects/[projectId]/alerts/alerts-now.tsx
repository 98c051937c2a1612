"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "@/components/ui/alert.tsx";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { formatValue } from "@/domain/alerting/format.ts";
import { formatWhen } from "@/lib/format.ts";
import { useTRPC } from "@/trpc/react.tsx";
import { HistoryTable } from "./history-table.tsx";
import { LabelList, StateBadge } from "./state-badge.tsx";

const LIVE = { refetchInterval: 5000, staleTime: 0 };

/** The alerts now (pending, firing, just resolved) and every recent change of state. Updates live. */
export function AlertsNow({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const alerts = useQuery({ ...trpc.alerting.alerts.queryOptions({ projectId }), ...LIVE });
  const history = useQuery({
    ...trpc.alerting.history.queryOptions({ projectId, limit: 50 }),
    ...LIVE,
  });
  const base = `/projects/${projectId}/alerts`;
  return (
    <div className="space-y-6">
      <Card
        title="Alerts now"
        description="Pending alerts wait out their rule’s “pending for”; firing ones are notified unless a silence or an inhibition holds them back."
      >
        {alerts.error ? <Alert tone="error">{alerts.error.message}</Alert> : null}
        {!alerts.data ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : alerts.data.length === 0 ? (
          <p className="text-sm text-zinc-500">
            Nothing is pending or firing.{" "}
            <Link
              className="text-indigo-600 hover:underline dark:text-indigo-400"
              href={`${base}/rules/new`}
            >
              Create a rule
            </Link>{" "}
            to be told when something goes wrong.
          </p>
        ) : (
          <DataTable columns={["State", "Alert", "Labels", "Value", "Since", "Held back", ""]}>
            {alerts.data?.map((alert) => (
              <tr
                key={`${alert.ruleId}-${alert.fingerprint}`}
                aria-label={`${alert.rule} ${alert.state}`}
              >
                <td className="py-2 pr-4">
                  <StateBadge state={alert.state} />
                </td>
                <td className="py-2 pr-4 font-medium">
                  <Link className="hover:underline" href={`${base}/rules/${alert.ruleId}`}>
                    {alert.rule}
                  </Link>
                  {alert.annotations.summary ? (
                    <div className="text-xs font-normal text-zinc-500">
                      {alert.annotations.summary}
                    </div>
                  ) : null}
                </td>
                <td className="py-2 pr-4">
                  <LabelList labels={alert.labels} />
                </td>
                <td className="py-2 pr-4 tabular-nums">
                  {alert.reason || formatValue(alert.value)}
                </td>
                <td className="py-2 pr-4 whitespace-nowrap text-zinc-500">
                  {formatWhen(new Date(alert.resolvedAt ?? alert.firedAt ?? alert.activeSince))}
                </td>
                <td className="py-2 pr-4 text-xs text-zinc-500">{alert.suppressed ?? "—"}</td>
                <td className="py-2">
                  {alert.state !== "resolved" ? (
                    <Link
                      className="text-xs text-indigo-600 hover:underline dark:text-indigo-400"
                      href={`${base}/silences?matchers=${encodeURIComponent(
                        Object.entries(alert.labels)
                          .map(([key, value]) => `${key}=${value}`)
                          .join(" "),
                      )}`}
                    >
                      Silence
                    </Link>
                  ) : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
      <Card title="History" description="Every change of state of every alert, newest first.">
        {!history.data ? (
          <p className="text-sm text-zinc-500">Loading…</p>
        ) : history.data.length === 0 ? (
          <p className="text-sm text-zinc-500">No alert has changed state yet.</p>
        ) : (
          <HistoryTable events={history.data} skip={["severity", "team"]} showRule />
        )}
      </Card>
    </div>
  );
}
