import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header.tsx";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { alertHistory } from "@/domain/alerting/alerts.ts";
import { formatValue } from "@/domain/alerting/format.ts";
import { getRule } from "@/domain/alerting/rules.ts";
import { DomainError } from "@/domain/errors.ts";
import { formatWhen } from "@/lib/format.ts";
import { canEditProject } from "@/lib/page-role.ts";
import { LabelList, StateBadge } from "../../state-badge.tsx";
import { RuleEditor } from "../rule-editor.tsx";
import { formOf } from "../rule-form.ts";

export const metadata: Metadata = { title: "Alert rule" };

export default async function RulePage({
  params,
}: {
  params: Promise<{ projectId: string; ruleId: string }>;
}) {
  const { projectId, ruleId } = await params;
  const [rule, history, canEdit] = await Promise.all([
    getRule(projectId, ruleId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
      throw error;
    }),
    alertHistory(projectId, { ruleId, limit: 50 }),
    canEditProject(projectId),
  ]);
  return (
    <div className="space-y-6">
      <PageHeader
        title={
          <span className="flex items-center gap-3">
            {rule.name} <StateBadge state={rule.state} />
          </span>
        }
        description={rule.description}
      />
      {rule.lastError ? (
        <p className="text-sm text-red-600">Last evaluation failed: {rule.lastError}</p>
      ) : null}
      <RuleEditor projectId={projectId} ruleId={rule.id} initial={formOf(rule)} canEdit={canEdit} />
      <Card title="History of this rule">
        {history.length === 0 ? (
          <p className="text-sm text-zinc-500">No alert of this rule has changed state yet.</p>
        ) : (
          <DataTable columns={["When", "Labels", "Change", "Value"]}>
            {history.map((event) => (
              <tr key={event.id}>
                <td className="py-2 pr-4 whitespace-nowrap text-zinc-500">
                  {formatWhen(event.at)}
                </td>
                <td className="py-2 pr-4">
                  <LabelList
                    labels={event.labels}
                    skip={["alertname", ...Object.keys(rule.labels)]}
                  />
                </td>
                <td className="py-2 pr-4 whitespace-nowrap">
                  <StateBadge state={event.fromState} /> → <StateBadge state={event.toState} />
                </td>
                <td className="py-2 pr-4 tabular-nums">
                  {event.reason || formatValue(event.value)}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
