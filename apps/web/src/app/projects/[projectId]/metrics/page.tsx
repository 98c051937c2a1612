import { db } from "@vigil/db";
import {
  INSTANCE_GROUP,
  metricAttributes,
  metricCatalog,
  SERVICE_GROUP,
} from "@vigil/db/telemetry";
import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { RangeFields } from "@/components/time/range-fields.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { SubmitOnChangeSelect } from "@/components/ui/submit-on-change.tsx";
import { type ChartQuery, defaultTitle, queryParams } from "@/domain/dashboards/chart-query.ts";
import { listDashboards } from "@/domain/dashboards/dashboards.ts";
import { aggregations } from "@/domain/telemetry/metrics-query.ts";
import { parseAttributeText } from "@/domain/telemetry/query-params.ts";
import { listServices } from "@/domain/telemetry/services.ts";
import { projectWindow, type RangePageProps } from "@/lib/range-page.ts";
import { ServiceFilter } from "../filters.tsx";
import { MetricPanel } from "./metric-panel.tsx";
import { SaveToDashboard } from "./save-to-dashboard.tsx";

export const metadata: Metadata = { title: "Metrics" };

type Search = {
  name?: string;
  service?: string;
  agg?: string;
  groupBy?: string;
  attributes?: string;
  range?: string;
  from?: string;
  to?: string;
};

/**
 * The metrics explorer: any metric, filtered by service and attributes, grouped, aggregated and
 * charted over the range; the URL holds the view, and a chart can be saved to a dashboard.
 */
export default async function MetricsPage(props: RangePageProps<Search>) {
  const { projectId, viewer, window, rangeProblem, search } = await projectWindow(props);
  const canEdit = viewer.can("editor");
  const [catalog, services, attributes, dashboards] = await Promise.all([
    metricCatalog(db().pool, projectId),
    listServices(projectId),
    search.name ? metricAttributes(db().pool, projectId, search.name) : [],
    listDashboards(projectId),
  ]);
  const agg = (aggregations as readonly string[]).includes(search.agg ?? "")
    ? (search.agg as ChartQuery["agg"])
    : "avg";
  const query: ChartQuery | null = search.name
    ? {
        name: search.name,
        service: search.service || undefined,
        where: parseAttributeText(search.attributes),
        groupBy: search.groupBy || undefined,
        agg,
      }
    : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title="Metrics"
        description="Any metric the project receives: filter by service and attributes, group, aggregate, and save the chart to a dashboard."
        window={window}
        rangeProblem={rangeProblem}
      />
      {catalog.length === 0 ? (
        <Card title="No metrics yet">
          <p className="text-sm text-zinc-500">
            Metrics appear here once a service sends them — the Vigil agent sends RED, runtime and
            host metrics by default (
            <code className="font-mono text-xs">node --import @vigil/agent/register</code>), and any
            OpenTelemetry SDK can export to <code className="font-mono text-xs">/v1/metrics</code>.
          </p>
        </Card>
      ) : (
        <>
          <form className="flex flex-wrap items-end gap-3" method="get" aria-label="chart query">
            <RangeFields window={window} />
            <Field label="Metric">
              {/* Submits on change: the metric decides the attributes offered below. */}
              <SubmitOnChangeSelect name="name" defaultValue={search.name ?? ""} required>
                <option value="" disabled>
                  choose a metric
                </option>
                {catalog.map((metric) => (
                  <option key={metric.name} value={metric.name}>
                    {metric.name}
                  </option>
                ))}
              </SubmitOnChangeSelect>
            </Field>
            <ServiceFilter services={services} value={search.service} anyLabel="all" />
            <Field label="Attributes">
              <Input
                name="attributes"
                defaultValue={search.attributes ?? ""}
                placeholder="http.route=/checkout"
                list="metric-attribute-values"
                className="w-56"
              />
            </Field>
            <datalist id="metric-attribute-values">
              {attributes.flatMap((attribute) =>
                attribute.values.map((value) => (
                  <option key={`${attribute.key}=${value}`} value={`${attribute.key}=${value}`} />
                )),
              )}
            </datalist>
            <Field label="Group by">
              <Select name="groupBy" defaultValue={search.groupBy ?? ""}>
                <option value="">nothing</option>
                <option value={SERVICE_GROUP}>service</option>
                <option value={INSTANCE_GROUP}>instance</option>
                {attributes.map((attribute) => (
                  <option key={attribute.key} value={attribute.key}>
                    {attribute.key}
                  </option>
                ))}
              </Select>
            </Field>
            <Field label="Aggregation">
              <Select name="agg" defaultValue={agg}>
                {aggregations.map((option) => (
                  <option key={option} value={option}>
                    {option}
                  </option>
                ))}
              </Select>
            </Field>
            <Button type="submit">Show</Button>
          </form>
          {query ? (
            <MetricPanel
              projectId={projectId}
              query={queryParams(query)}
              window={window}
              title={defaultTitle(query)}
              actions={
                canEdit ? (
                  <SaveToDashboard
                    projectId={projectId}
                    query={query}
                    title={defaultTitle(query)}
                    dashboards={dashboards.map(({ id, name }) => ({ id, name }))}
                  />
                ) : null
              }
            />
          ) : (
            <p className="text-sm text-zinc-500">Choose a metric to chart it.</p>
          )}
        </>
      )}
    </div>
  );
}
