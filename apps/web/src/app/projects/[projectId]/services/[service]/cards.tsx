import Link from "next/link";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import type { ServiceDetail } from "@/domain/services/service-detail.ts";
import { formatMs, formatPercent, formatRate, formatWhen } from "@/lib/format.ts";
import { gradeText } from "../../overview/grade.tsx";

const link = "font-medium text-indigo-600 hover:underline dark:text-indigo-400";
const health = {
  passing: "text-emerald-700 dark:text-emerald-400",
  warning: "text-amber-700 dark:text-amber-400",
  critical: "text-red-700 dark:text-red-400",
};

/** The service's instances in the registry, with health, checks and reported load. */
export function InstancesCard({
  instances,
  projectId,
}: {
  instances: ServiceDetail["instances"];
  projectId: string;
}) {
  return (
    <Card title="Instances" description="From the registry: health is the instance's worst check.">
      {instances.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No instance of this service is registered. The agent registers each instance with a TTL
          check; any Consul client can too (
          <Link className={link} href={`/projects/${projectId}/registry`}>
            Registry
          </Link>
          ).
        </p>
      ) : (
        <DataTable columns={["Instance", "Address", "Version", "Health", "Checks", "Load"]}>
          {instances.map((instance) => (
            <tr key={instance.id} aria-label={`instance ${instance.id}`}>
              <td className="py-2 pr-4 font-mono text-xs">{instance.id}</td>
              <td className="py-2 pr-4 font-mono text-xs">
                {instance.address || "—"}
                {instance.port ? `:${instance.port}` : ""}
              </td>
              <td className="py-2 pr-4">{instance.meta.version ?? "—"}</td>
              <td className={`py-2 pr-4 font-medium ${health[instance.health]}`}>
                {instance.health}
              </td>
              <td className="py-2 pr-4 text-xs">
                {instance.checks.map((check) => (
                  <div key={check.id}>
                    <span className={health[check.status]}>{check.status}</span> {check.name}
                    {check.output ? <span className="text-zinc-500"> — {check.output}</span> : null}
                  </div>
                ))}
              </td>
              <td className="py-2 pr-4 text-xs tabular-nums">
                {instance.load
                  ? [
                      instance.load.inFlight !== undefined
                        ? `${instance.load.inFlight} in flight`
                        : "",
                      instance.load.cpu !== undefined
                        ? `CPU ${Math.round(instance.load.cpu * 100)}%`
                        : "",
                    ]
                      .filter(Boolean)
                      .join(" · ")
                  : "—"}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

/** Operations (server span names) with calls, errors and latency. */
export function OperationsCard({
  title,
  operations,
  empty,
}: {
  title: string;
  operations: ServiceDetail["slowest"];
  empty: string;
}) {
  return (
    <Card title={title}>
      {operations.length === 0 ? (
        <p className="text-sm text-zinc-500">{empty}</p>
      ) : (
        <DataTable columns={["Operation", "Calls", "Errors", "p95", "Max"]}>
          {operations.map((op) => (
            <tr key={op.operation} aria-label={`operation ${op.operation}`}>
              <td className="py-2 pr-4 font-mono text-xs">{op.operation}</td>
              <td className="py-2 pr-4 tabular-nums">{op.calls.toLocaleString("en")}</td>
              <td
                className={`py-2 pr-4 tabular-nums ${op.errors ? "text-red-700 dark:text-red-400" : ""}`}
              >
                {op.errors.toLocaleString("en")}
              </td>
              <td className="py-2 pr-4 tabular-nums">{formatMs(op.p95Ms)}</td>
              <td className="py-2 pr-4 tabular-nums">{formatMs(op.maxMs)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

export function RecentTracesCard({
  traces,
  projectId,
}: {
  traces: ServiceDetail["traces"];
  projectId: string;
}) {
  return (
    <Card title="Recent traces" description="The newest traces this service took part in.">
      {traces.length === 0 ? (
        <p className="text-sm text-zinc-500">No traces in this range.</p>
      ) : (
        <DataTable columns={["Started", "Root", "Duration", "Spans", "Errors"]}>
          {traces.map((trace) => (
            <tr key={trace.traceId}>
              <td className="py-2 pr-4 whitespace-nowrap">
                {formatWhen(new Date(trace.startTime))}
              </td>
              <td className="py-2 pr-4">
                <Link className={link} href={`/projects/${projectId}/traces/${trace.traceId}`}>
                  {trace.rootName}
                </Link>
                <span className="ml-2 text-xs text-zinc-500">{trace.rootService}</span>
              </td>
              <td className="py-2 pr-4 tabular-nums">{formatMs(trace.durationMs)}</td>
              <td className="py-2 pr-4 tabular-nums">{trace.spanCount}</td>
              <td
                className={`py-2 pr-4 tabular-nums ${trace.errorCount ? "text-red-700 dark:text-red-400" : ""}`}
              >
                {trace.errorCount}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </Card>
  );
}

/** What the service calls (services, databases, caches) and who calls it. */
export function DependenciesCard({
  dependencies,
  callers,
  serviceHref,
}: {
  dependencies: ServiceDetail["dependencies"];
  callers: string[];
  serviceHref: (name: string) => string;
}) {
  return (
    <Card
      title="Dependencies"
      description="Downstream calls from this service's client spans, with their latency and errors."
    >
      {dependencies.length === 0 ? (
        <p className="text-sm text-zinc-500">
          No downstream calls in this range: calls show when spans have a parent in another service,
          or are client spans with db.system.name.
        </p>
      ) : (
        <DataTable columns={["Calls", "Kind", "Rate", "Errors", "avg", "p95"]}>
          {dependencies.map((dep) => (
            <tr key={dep.callee} aria-label={`dependency ${dep.callee}`}>
              <td className="py-2 pr-4">
                {dep.kind === "service" ? (
                  <Link className={link} href={serviceHref(dep.callee)}>
                    {dep.callee}
                  </Link>
                ) : (
                  <span className="font-medium">{dep.callee}</span>
                )}
              </td>
              <td className="py-2 pr-4 text-xs text-zinc-500">{dep.kind}</td>
              <td className="py-2 pr-4 tabular-nums">{formatRate(dep.rate)}</td>
              <td className={`py-2 pr-4 tabular-nums ${gradeText[dep.grade]}`}>
                {formatPercent(dep.errorRate)}
              </td>
              <td className="py-2 pr-4 tabular-nums">{formatMs(dep.avgMs)}</td>
              <td className="py-2 pr-4 tabular-nums">{formatMs(dep.p95Ms)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {callers.length ? (
        <p className="mt-3 text-sm text-zinc-500">
          Called by{" "}
          {callers.map((caller, i) => (
            <span key={caller}>
              {i ? ", " : ""}
              <Link className={link} href={serviceHref(caller)}>
                {caller}
              </Link>
            </span>
          ))}
          .
        </p>
      ) : null}
    </Card>
  );
}
