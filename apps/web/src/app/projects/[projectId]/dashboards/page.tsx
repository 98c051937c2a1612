import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header.tsx";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { listDashboards } from "@/domain/dashboards/dashboards.ts";
import { formatWhen } from "@/lib/format.ts";
import { projectPage } from "@/lib/project-page.ts";
import { NewDashboard } from "./dashboard-controls.tsx";

export const metadata: Metadata = { title: "Dashboards" };

export default async function DashboardsPage({
  params,
}: {
  params: Promise<{ projectId: string }>;
}) {
  const { projectId, viewer } = await projectPage(params);
  const dashboards = await listDashboards(projectId);
  const canEdit = viewer.can("editor");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Dashboards"
        description="Charts saved from the metrics explorer, together on one page per dashboard."
      />
      {canEdit ? <NewDashboard projectId={projectId} /> : null}
      <Card title="All dashboards">
        {dashboards.length === 0 ? (
          <p className="text-sm text-zinc-500">
            No dashboards yet. Chart a metric in the{" "}
            <Link
              className="text-indigo-600 hover:underline dark:text-indigo-400"
              href={`/projects/${projectId}/metrics`}
            >
              metrics explorer
            </Link>{" "}
            and choose “Save to dashboard”, or create an empty one here.
          </p>
        ) : (
          <DataTable columns={["Dashboard", "Charts", "Changed"]}>
            {dashboards.map((dashboard) => (
              <tr key={dashboard.id}>
                <td className="py-2 pr-4">
                  <Link
                    className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                    href={`/projects/${projectId}/dashboards/${dashboard.id}`}
                  >
                    {dashboard.name}
                  </Link>
                </td>
                <td className="py-2 pr-4 tabular-nums">{dashboard.charts.length}</td>
                <td className="py-2 pr-4 whitespace-nowrap">{formatWhen(dashboard.updatedAt)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </Card>
    </div>
  );
}
