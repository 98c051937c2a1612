import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header.tsx";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { formatSeconds } from "@/domain/alerting/format.ts";
import { listRules } from "@/domain/alerting/rules.ts";
import { formatWhen } from "@/lib/format.ts";
import { projectPage } from "@/lib/project-page.ts";
import { LabelList, StateBadge } from "../state-badge.tsx";

export const metadata: Metadata = { title: "Alert rules" };

export default async function RulesPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId, viewer } = await projectPage(params);
  const rules = await listRules(projectId);
  const canEdit = viewer.can("editor");
  const base = `/projects/${projectId}/alerts/rules`;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Alert rules"
        description="Each rule is evaluated by the leader on its interval; a rule from the alerts file is marked “from file” and replaced at every start."
      >
        {canEdit ? (
          <Link
            href={`${base}/new`}
            className="mt-3 inline-flex rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-500"
          >
            New rule
          </Link>
        ) : null}
      </PageHeader>
      <Card title="Rules">
        {rules.length === 0 ? (
          <p className="text-sm text-zinc-500">
            No rules yet. A rule watches a metric (say, p95 latency of a service) or the registry
            (an instance turning critical).
          </p>
        ) : (
          <DataTable columns={["State", "Rule", "Condition", "For", "Labels", "Last evaluated"]}>
            {rules.map((rule) => (
              <tr key={rule.id} aria-label={`rule ${rule.name}`}>
                <td className="py-2 pr-4">
                  <StateBadge state={rule.state} />
                  {rule.firing > 1 ? (
                    <span className="ml-1 text-xs text-zinc-500">×{rule.firing}</span>
                  ) : null}
                </td>
                <td className="py-2 pr-4 font-medium">
                  <Link className="hover:underline" href={`${base}/${rule.id}`}>
                    {rule.name}
                  </Link>
                  {rule.provisioned ? (
                    <span className="ml-2 text-xs text-zinc-500">from file</span>
                  ) : null}
                </td>
                <td className="py-2 pr-4 font-mono text-xs">{rule.description}</td>
                <td className="py-2 pr-4">{formatSeconds(rule.for)}</td>
                <td className="py-2 pr-4">
                  <LabelList labels={rule.labels} />
                </td>
                <td className="py-2 pr-4 text-xs text-zinc-500">
                  {rule.lastEvalAt ? formatWhen(rule.lastEvalAt) : "not yet"}
                  {rule.lastError ? <div className="text-red-600">{rule.lastError}</div> : null}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
