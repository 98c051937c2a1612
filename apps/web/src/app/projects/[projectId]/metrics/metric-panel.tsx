import type { ReactNode } from "react";
import { SeriesChart } from "@/components/charts/series-chart.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Card } from "@/components/ui/card.tsx";
import { DomainError } from "@/domain/errors.ts";
import type { TimeWindow } from "@/domain/overview/time-range.ts";
import { type MetricSeriesResult, queryMetricSeries } from "@/domain/telemetry/metrics-query.ts";
import { formatMetricValue } from "@/lib/format.ts";

/** The latest, smallest and largest value of each line. */
function Summary({ result }: { result: MetricSeriesResult }) {
  // Rates are per second of the metric's unit; anything else is in it.
  const unit = result.agg === "rate" ? "" : result.unit;
  const number = (value: number | undefined) =>
    value === undefined ? "—" : formatMetricValue(value, unit);
  const rows = result.series.map((line) => {
    const values = line.points.flatMap((point) => (point.value === null ? [] : [point.value]));
    return {
      group: line.group,
      latest: values.at(-1),
      min: values.length ? Math.min(...values) : undefined,
      max: values.length ? Math.max(...values) : undefined,
    };
  });
  if (rows.length === 0)
    return <p className="mb-3 text-sm text-zinc-500">No points in this range.</p>;
  return (
    <table className="mb-3 text-sm" aria-label="summary">
      <thead>
        <tr className="text-left text-xs text-zinc-500">
          {result.groupBy ? <th className="pr-6 font-normal">{result.groupBy}</th> : null}
          <th className="pr-6 font-normal">latest</th>
          <th className="pr-6 font-normal">min</th>
          <th className="pr-6 font-normal">max</th>
        </tr>
      </thead>
      <tbody>
        {rows.slice(0, 8).map((row) => (
          <tr key={row.group ?? "all"}>
            {result.groupBy ? (
              <td className="pr-6 font-mono text-xs">{row.group ?? "(none)"}</td>
            ) : null}
            <td className="pr-6 font-semibold tabular-nums">{number(row.latest)}</td>
            <td className="pr-6 tabular-nums">{number(row.min)}</td>
            <td className="pr-6 tabular-nums">{number(row.max)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A metric query over the page's window as a card: the chart, a line per group, and each line's
 * latest/min/max. A query that cannot run shows why instead.
 */
export async function MetricPanel({
  projectId,
  query,
  window,
  title,
  actions,
  compact = false,
}: {
  projectId: string;
  /** The metric query's parameters (name, service, agg, groupBy, attr.<key>). */
  query: Record<string, string>;
  window: TimeWindow;
  title?: string;
  actions?: ReactNode;
  compact?: boolean;
}) {
  let result: MetricSeriesResult | null = null;
  let problem: string | null = null;
  try {
    result = await queryMetricSeries(projectId, {
      ...query,
      from: String(window.fromMs),
      to: String(window.toMs),
      step: String(window.stepMs),
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problem = error.message;
  }
  const heading = title ?? (result ? `${result.agg}(${result.name})` : (query.name ?? "chart"));
  const traces = new URLSearchParams(query.service ? { service: query.service } : {});
  return (
    <Card
      title={heading}
      description={
        result
          ? `${result.type}${result.unit ? `, unit ${result.unit}` : ""}${result.service ? ` · ${result.service}` : ""}; one value per ${Math.round(result.stepMs / 1000)} s from ${result.resolution === "raw" ? "raw points" : `${result.resolution} rollups`}`
          : undefined
      }
      actions={actions}
    >
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      {result ? (
        <>
          <Summary result={result} />
          <SeriesChart
            series={result.series}
            label={`${result.agg} of ${result.name}`}
            fromMs={window.fromMs}
            toMs={window.toMs}
            stepMs={window.stepMs}
            tracesHref={`/projects/${projectId}/traces?${traces}`}
            unit={result.agg === "rate" ? "" : result.unit}
            height={compact ? "h-48" : "h-72"}
          />
        </>
      ) : null}
    </Card>
  );
}
