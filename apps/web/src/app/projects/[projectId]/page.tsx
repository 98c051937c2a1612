import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header.tsx";
import { CoverageNote } from "@/components/time/coverage-note.tsx";
import { Card } from "@/components/ui/card.tsx";
import { UrlSelect } from "@/components/url-select.tsx";
import { forEnvironment, projectOverview } from "@/domain/overview/overview.ts";
import { rangeParams } from "@/domain/overview/time-range.ts";
import { listServices } from "@/domain/telemetry/services.ts";
import { formatPercent } from "@/lib/format.ts";
import { projectWindow, type RangePageProps } from "@/lib/range-page.ts";
import { runtime } from "@/server/runtime.ts";
import { Attention } from "./overview/attention.tsx";
import { BusinessCharts } from "./overview/business-charts.tsx";
import { InfrastructureStrip } from "./overview/infrastructure-strip.tsx";
import { ScalingPanel } from "./overview/scaling-panel.tsx";
import { type ServiceRow, ServicesRed } from "./overview/services-red.tsx";

export const metadata: Metadata = { title: "Overview" };

type Search = { range?: string; from?: string; to?: string; environment?: string };

export default async function OverviewPage(props: RangePageProps<Search>) {
  const { projectId, window, rangeProblem, search } = await projectWindow(props);
  const { baseUrl } = runtime();
  const [everyService, whole] = await Promise.all([
    listServices(projectId),
    projectOverview(projectId, window),
  ]);
  // Per environment, when services report one (deployment.environment.name).
  const environments = [...new Set(everyService.map((s) => s.environment))].sort();
  // Services without an environment are "(none)" in the URL.
  const NONE = "(none)";
  const asked = search.environment === NONE ? "" : search.environment;
  const environment = asked !== undefined && environments.includes(asked) ? asked : null;
  const services =
    environment === null ? everyService : everyService.filter((s) => s.environment === environment);
  const overview =
    environment === null
      ? whole
      : forEnvironment(whole, new Set(services.map((s) => s.name)), environment);
  // Every service that sent anything, with its RED figures where it has them; trouble first.
  const red = new Map(overview.services.map((s) => [`${s.service}\u0000${s.environment}`, s]));
  const range = new URLSearchParams(rangeParams(window));
  const serviceHref = (name: string) =>
    `/projects/${projectId}/services/${encodeURIComponent(name)}?${range}`;
  const rows: ServiceRow[] = services
    .map((service) => ({
      name: service.name,
      environment: service.environment,
      versions: [...new Set(service.instances.map((i) => i.version).filter(Boolean))],
      red: red.get(`${service.name}\u0000${service.environment}`) ?? null,
      serviceHref: serviceHref(service.name),
      tracesHref: `/projects/${projectId}/traces?${new URLSearchParams({ service: service.name, ...rangeParams(window) })}`,
    }))
    .sort(
      (a, b) =>
        (a.red ? overview.services.indexOf(a.red) : Number.MAX_SAFE_INTEGER) -
          (b.red ? overview.services.indexOf(b.red) : Number.MAX_SAFE_INTEGER) ||
        a.name.localeCompare(b.name),
    );
  return (
    <div className="space-y-6">
      <PageHeader
        title="Overview"
        description="Throughput, errors and latency of every service, with cache hit rate, replica lag and shard balance beside them."
        window={window}
        rangeProblem={rangeProblem}
      >
        {environments.length > 1 ? (
          <div className="mt-2">
            <UrlSelect
              label="Environment"
              param="environment"
              value={environment === null ? "" : environment || NONE}
              options={[
                { value: "", label: "all" },
                ...environments.map((name) => ({ value: name || NONE, label: name || NONE })),
              ]}
            />
          </div>
        ) : null}
      </PageHeader>
      {services.length > 0 ? (
        <>
          <Attention overview={overview} serviceHref={serviceHref} />
          <Card
            title="Services"
            description={`Worst first: an error rate above ${formatPercent(overview.thresholds.errorRate.warning)} is a warning and above ${formatPercent(overview.thresholds.errorRate.bad)} bad, as is an unhealthy instance in the registry.`}
          >
            <ServicesRed rows={rows} />
            <CoverageNote
              seconds={Math.min(...overview.services.map((service) => service.coveredSeconds))}
              window={window}
            />
          </Card>
          <ScalingPanel overview={overview} />
          <InfrastructureStrip rows={overview.infrastructure} />
          <Card
            title="Business"
            description="Every business.* metric — vigil.business.count / add / gauge in the agent."
          >
            {overview.business.length > 0 ? (
              <BusinessCharts metrics={overview.business} />
            ) : (
              <p className="text-sm text-zinc-500">
                No business metrics yet — for example{" "}
                <code className="rounded bg-zinc-100 px-1 font-mono text-xs dark:bg-zinc-800">
                  vigil.business.count("signups")
                </code>
                .
              </p>
            )}
          </Card>
        </>
      ) : (
        <Card
          title="No data yet"
          description="Nothing has reported to this project. Point an OpenTelemetry SDK, Collector or the Vigil agent at this control plane."
        >
          <ol className="list-decimal space-y-3 pl-5 text-sm text-zinc-700 dark:text-zinc-300">
            <li>
              Create an <strong>ingest</strong> key under{" "}
              <a
                className="text-indigo-600 underline hover:text-indigo-500 dark:text-indigo-400"
                href={`/projects/${projectId}/settings`}
              >
                Settings → API keys
              </a>{" "}
              (or use the one printed at first start).
            </li>
            <li>
              Send OTLP/HTTP to this server:
              <pre className="mt-2 overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100 dark:bg-black dark:ring-1 dark:ring-zinc-700">
                {`OTEL_EXPORTER_OTLP_ENDPOINT=${baseUrl}
OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer <ingest key>"
OTEL_SERVICE_NAME=checkout`}
              </pre>
            </li>
            <li>Services appear here as soon as their first batch arrives.</li>
          </ol>
        </Card>
      )}
    </div>
  );
}
