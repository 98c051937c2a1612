import { db } from "@vigil/db";
import { metricCatalog } from "@vigil/db/telemetry";
import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Select } from "@/components/ui/field.tsx";
import { DomainError } from "@/domain/errors.ts";
import { aggregations, queryMetricSeries } from "@/domain/telemetry/metrics-query.ts";
import { listServices } from "@/domain/telemetry/services.ts";
import { projectWindow, type RangePageProps } from "@/lib/range-page.ts";
import { RangeFilter, ServiceFilter } from "../filters.tsx";
import { MetricChart } from "./metric-chart.tsx";

export const metadata: Metadata = { title: "Metrics" };

type Search = { name?: string; service?: string; agg?: string; range?: string };

const number = (value: number | undefined) =>
  value === undefined ? "—" : value.toLocaleString("en", { maximumFractionDigits: 3 });

/** Any metric as a chart: pick it, a service and an aggregation; the URL holds the view. */
export default async function MetricsPage(props: RangePageProps<Search>) {
  const { projectId, window, search } = await projectWindow(props);
  const [catalog, services] = await Promise.all([
    metricCatalog(db().pool, projectId),
    listServices(projectId),
  ]);
  let series: Awaited<ReturnType<typeof queryMetricSeries>> | null = null;
  let problem: string | null = null;
  if (search.name) {
    try {
      series = await queryMetricSeries(projectId, {
        name: search.name,
        service: search.service || undefined,
        agg: (search.agg || "avg") as "avg",
        from: String(window.fromMs),
        to: String(window.toMs),
        step: String(window.stepMs),
      });
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      problem = error.message;
    }
  }
  const values = (series?.points ?? []).flatMap((point) =>
    point.value === null ? [] : [point.value],
  );

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold">Metrics</h1>
        <p className="text-sm text-zinc-500">
          Any metric the project receives, for one service or all, aggregated per step.
        </p>
      </div>
      {catalog.length === 0 ? (
        <Card title="No metrics yet">
          <p className="text-sm text-zinc-500">
            Metrics appear here once a service sends them — the Vigil agent sends RED, runtime and
            host metrics by default.
          </p>
        </Card>
      ) : (
        <>
          <form className="flex flex-wrap items-end gap-3" method="get">
            <Field label="Metric">
              <Select name="name" defaultValue={search.name ?? ""} required>
                <option value="" disabled>
                  choose a metric
                </option>
                {catalog.map((metric) => (
                  <option key={metric.name} value={metric.name}>
                    {metric.name}
                  </option>
                ))}
              </Select>
            </Field>
            <ServiceFilter services={services} value={search.service} anyLabel="all" />
            <Field label="Aggregation">
              <Select name="agg" defaultValue={search.agg ?? "avg"}>
                {aggregations.map((agg) => (
                  <option key={agg} value={agg}>
                    {agg}
                  </option>
                ))}
              </Select>
            </Field>
            <RangeFilter value={window.range} />
            <Button type="submit">Show</Button>
          </form>
          {problem ? <Alert tone="error">{problem}</Alert> : null}
          {series ? (
            <Card
              title={`${series.agg}(${series.name})${series.service ? ` · ${series.service}` : ""}`}
              description={`${series.type}${series.unit ? `, unit ${series.unit}` : ""}; one value per ${Math.round(series.stepMs / 1000)} s`}
            >
              <dl className="mb-3 flex gap-6 text-sm" aria-label="summary">
                <div>
                  <dt className="text-xs text-zinc-500">latest</dt>
                  <dd className="font-semibold tabular-nums">{number(values.at(-1))}</dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500">min</dt>
                  <dd className="tabular-nums">
                    {number(values.length ? Math.min(...values) : undefined)}
                  </dd>
                </div>
                <div>
                  <dt className="text-xs text-zinc-500">max</dt>
                  <dd className="tabular-nums">
                    {number(values.length ? Math.max(...values) : undefined)}
                  </dd>
                </div>
              </dl>
              <MetricChart
                points={series.points}
                label={`${series.agg} of ${series.name}`}
                fromMs={window.fromMs}
                toMs={window.toMs}
              />
            </Card>
          ) : null}
        </>
      )}
    </div>
  );
}
