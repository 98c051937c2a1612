import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header.tsx";
import { Card } from "@/components/ui/card.tsx";
import { queryParams } from "@/domain/dashboards/chart-query.ts";
import { getDashboard } from "@/domain/dashboards/dashboards.ts";
import { DomainError } from "@/domain/errors.ts";
import { projectWindow } from "@/lib/range-page.ts";
import { MetricPanel } from "../../metrics/metric-panel.tsx";
import { DashboardActions, RemoveChart } from "../dashboard-controls.tsx";

export const metadata: Metadata = { title: "Dashboard" };

type Props = {
  params: Promise<{ projectId: string; dashboardId: string }>;
  searchParams: Promise<{ range?: string; from?: string; to?: string }>;
};

/** A dashboard: its charts over the page's time range. */
export default async function DashboardPage(props: Props) {
  const { dashboardId } = await props.params;
  const { projectId, viewer, window, rangeProblem } = await projectWindow(props);
  const dashboard = await getDashboard(projectId, dashboardId).catch((error: unknown) => {
    if (error instanceof DomainError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  const canEdit = viewer.can("editor");
  return (
    <div className="space-y-6">
      <PageHeader
        title={dashboard.name}
        description={`${dashboard.charts.length} ${dashboard.charts.length === 1 ? "chart" : "charts"}`}
        window={window}
        rangeProblem={rangeProblem}
      >
        {canEdit ? (
          <DashboardActions
            projectId={projectId}
            dashboardId={dashboard.id}
            name={dashboard.name}
          />
        ) : null}
      </PageHeader>
      {dashboard.charts.length === 0 ? (
        <Card title="No charts yet">
          <p className="text-sm text-zinc-500">
            Build a chart in the{" "}
            <Link
              className="text-indigo-600 hover:underline dark:text-indigo-400"
              href={`/projects/${projectId}/metrics`}
            >
              metrics explorer
            </Link>{" "}
            and choose “Save to dashboard”.
          </p>
        </Card>
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          {dashboard.charts.map((chart) => (
            <MetricPanel
              key={chart.id}
              projectId={projectId}
              query={queryParams(chart.query)}
              window={window}
              title={chart.title}
              compact
              actions={
                canEdit ? (
                  <RemoveChart
                    projectId={projectId}
                    dashboardId={dashboard.id}
                    chartId={chart.id}
                    title={chart.title}
                  />
                ) : null
              }
            />
          ))}
        </div>
      )}
    </div>
  );
}
