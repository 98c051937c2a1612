import { db } from "@vigil/db";
import { INSTANCE_GROUP, metricCatalog } from "@vigil/db/telemetry";
import { httpMetrics, infraMetrics } from "@vigil/otel";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header.tsx";
import { CoverageNote } from "@/components/time/coverage-note.tsx";
import { Card } from "@/components/ui/card.tsx";
import { rangeParams } from "@/domain/overview/time-range.ts";
import { serviceDetail } from "@/domain/services/service-detail.ts";
import { listServices } from "@/domain/telemetry/services.ts";
import { formatMs, formatPercent, formatRate } from "@/lib/format.ts";
import { projectWindow } from "@/lib/range-page.ts";
import { MetricPanel } from "../../metrics/metric-panel.tsx";
import { gradeText } from "../../overview/grade.tsx";
import { DependenciesCard, InstancesCard, OperationsCard, RecentTracesCard } from "./cards.tsx";
import { RoutesTable } from "./routes-table.tsx";

export const metadata: Metadata = { title: "Service" };

type Props = {
  params: Promise<{ projectId: string; service: string }>;
  searchParams: Promise<{ range?: string; from?: string; to?: string }>;
};

function Figure({ label, value, tone = "" }: { label: string; value: string; tone?: string }) {
  return (
    <div>
      <dt className="text-xs text-zinc-500">{label}</dt>
      <dd className={`text-lg font-semibold tabular-nums ${tone}`}>{value}</dd>
    </div>
  );
}

/** One service: RED overall and by route, infrastructure per instance, its registry instances,
 * slowest and failing operations, recent traces and dependencies. */
export default async function ServicePage(props: Props) {
  const { service: encoded } = await props.params;
  const service = decodeURIComponent(encoded);
  const { projectId, window, rangeProblem } = await projectWindow(props);
  const [detail, services, metrics] = await Promise.all([
    serviceDetail(projectId, service, window),
    listServices(projectId),
    metricCatalog(db().pool, projectId, service),
  ]);
  const known = services.filter((s) => s.name === service);
  const has = new Set(metrics.map((metric) => metric.name));
  const range = new URLSearchParams(rangeParams(window)).toString();
  const base = `/projects/${projectId}`;
  const red = detail.red;
  const versions = [
    ...new Set(known.flatMap((s) => s.instances.map((i) => i.version)).filter(Boolean)),
  ];

  return (
    <div className="space-y-6">
      <PageHeader
        title={service}
        description={
          known.length
            ? [
                known
                  .map((s) => s.environment)
                  .filter(Boolean)
                  .join(", "),
                versions.join(", "),
              ]
                .filter(Boolean)
                .join(" · ") || "no environment or version reported"
            : "This service has sent no telemetry to this project."
        }
        window={window}
        rangeProblem={rangeProblem}
      >
        <nav className="mt-1 flex gap-4 text-sm">
          <Link
            className="text-indigo-600 hover:underline dark:text-indigo-400"
            href={`${base}/traces?service=${encodeURIComponent(service)}&${range}`}
          >
            Traces
          </Link>
          <Link
            className="text-indigo-600 hover:underline dark:text-indigo-400"
            href={`${base}/metrics?service=${encodeURIComponent(service)}&${range}`}
          >
            Metrics
          </Link>
          <Link
            className="text-indigo-600 hover:underline dark:text-indigo-400"
            href={`${base}/map?${range}`}
          >
            Service map
          </Link>
        </nav>
      </PageHeader>

      <Card
        title="Requests"
        description="Requests served in the range: http.server.request.duration, or server and consumer spans."
      >
        {red && red.requests > 0 ? (
          <>
            <dl className="flex flex-wrap gap-8" aria-label="service summary">
              <Figure label="throughput" value={formatRate(red.rate)} />
              <Figure
                label="error rate"
                value={formatPercent(red.errorRate)}
                tone={gradeText[red.grade]}
              />
              <Figure label="p50" value={formatMs(red.p50)} />
              <Figure label="p95" value={formatMs(red.p95)} />
              <Figure label="p99" value={formatMs(red.p99)} />
              <Figure
                label="instances passing"
                value={
                  red.instances.registered
                    ? `${red.instances.passing}/${red.instances.registered}`
                    : "—"
                }
              />
            </dl>
            <CoverageNote seconds={red.coveredSeconds} window={window} />
          </>
        ) : (
          <p className="text-sm text-zinc-500">
            No requests in this range. The agent records every inbound HTTP request; other SDKs
            light this up with server spans or the http.server.request.duration histogram.
          </p>
        )}
      </Card>

      <Card title="Routes" description="Per route, busiest first.">
        <RoutesTable routes={detail.routes} />
      </Card>

      {has.has(httpMetrics.serverDuration) ? (
        <div className="grid gap-6 lg:grid-cols-2">
          <MetricPanel
            projectId={projectId}
            query={{
              name: httpMetrics.serverDuration,
              service,
              agg: "rate",
              groupBy: httpMetrics.routeAttribute,
            }}
            window={window}
            title="Throughput by route (req/s)"
            compact
          />
          <MetricPanel
            projectId={projectId}
            query={{
              name: httpMetrics.serverDuration,
              service,
              agg: "p95",
              groupBy: httpMetrics.routeAttribute,
            }}
            window={window}
            title="p95 latency by route"
            compact
          />
        </div>
      ) : null}

      {has.has(infraMetrics.processCpu) || has.has(infraMetrics.processMemory) ? (
        <div className="grid gap-6 lg:grid-cols-2">
          {has.has(infraMetrics.processCpu) ? (
            <MetricPanel
              projectId={projectId}
              query={{
                name: infraMetrics.processCpu,
                service,
                agg: "avg",
                groupBy: INSTANCE_GROUP,
              }}
              window={window}
              title="CPU per instance (share of one core)"
              compact
            />
          ) : null}
          {has.has(infraMetrics.processMemory) ? (
            <MetricPanel
              projectId={projectId}
              query={{
                name: infraMetrics.processMemory,
                service,
                agg: "avg",
                groupBy: INSTANCE_GROUP,
              }}
              window={window}
              title="Memory per instance"
              compact
            />
          ) : null}
        </div>
      ) : (
        <Card title="Infrastructure">
          <p className="text-sm text-zinc-500">
            No CPU or memory metrics from this service. The Vigil agent sends
            process.cpu.utilization and process.memory.usage per instance.
          </p>
        </Card>
      )}

      <InstancesCard instances={detail.instances} projectId={projectId} />
      <div className="grid gap-6 lg:grid-cols-2">
        <OperationsCard
          title="Slowest operations"
          operations={detail.slowest}
          empty="No server spans in this range."
        />
        <OperationsCard
          title="Failing operations"
          operations={detail.failing}
          empty="No failed server spans in this range."
        />
      </div>
      <RecentTracesCard traces={detail.traces} projectId={projectId} />
      <DependenciesCard
        dependencies={detail.dependencies}
        callers={detail.callers}
        serviceHref={(name) => `${base}/services/${encodeURIComponent(name)}?${range}`}
      />
    </div>
  );
}
