import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header.tsx";
import { Card } from "@/components/ui/card.tsx";
import { alertHistory } from "@/domain/alerting/alerts.ts";
import { getRule } from "@/domain/alerting/rules.ts";
import { DomainError } from "@/domain/errors.ts";
import { projectPage } from "@/lib/project-page.ts";
import { HistoryTable } from "../../history-table.tsx";
import { StateBadge } from "../../state-badge.tsx";
import { RuleEditor } from "../rule-editor.tsx";
import { formOf } from "../rule-form.ts";

export const metadata: Metadata = { title: "Alert rule" };

export default async function RulePage({
  params,
}: {
  params: Promise<{ projectId: string; ruleId: string }>;
}) {
  const { projectId, ruleId, viewer } = await projectPage(params);
  const canEdit = viewer.can("editor");
  const [rule, history] = await Promise.all([
    getRule(projectId, ruleId).catch((error: unknown) => {
      if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
      throw error;
    }),
    alertHistory(projectId, { ruleId, limit: 50 }),
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
          <HistoryTable events={history} skip={Object.keys(rule.labels)} showRule={false} />
        )}
      </Card>
    </div>
  );
}
