"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Card } from "@/components/ui/card.tsx";
import { Field, Select } from "@/components/ui/field.tsx";
import { formatWhen } from "@/lib/format.ts";
import { useTRPC } from "@/trpc/react.tsx";
import { HealthRulesCard } from "./health-rules-card.tsx";

const healthStyle: Record<string, string> = {
  passing: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  critical: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

export function HealthBadge({ status }: { status: string }) {
  return (
    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${healthStyle[status] ?? ""}`}>
      {status}
    </span>
  );
}

/** Instances grouped by service, with filters, refreshed every two seconds. */
export function RegistryView({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const project = useQuery(trpc.projects.get.queryOptions({ projectId }));
  const canEdit = project.data?.role === "admin" || project.data?.role === "editor";
  const instances = useQuery({
    ...trpc.registry.instances.queryOptions({ projectId }),
    refetchInterval: 2000,
  });
  const events = useQuery({
    ...trpc.registry.events.queryOptions({ projectId }),
    refetchInterval: 2000,
  });
  const [health, setHealth] = useState("all");
  const [tag, setTag] = useState("");
  const tags = [...new Set(instances.data?.flatMap((instance) => instance.tags) ?? [])].sort();
  const shown = (instances.data ?? []).filter(
    (instance) =>
      (health === "all" || instance.health === health) && (!tag || instance.tags.includes(tag)),
  );
  const services = [...new Set(shown.map((instance) => instance.service))];

  if (instances.data?.length === 0) {
    return (
      <div className="space-y-6">
        <Card
          title="No instances yet"
          description="Register one with any Consul client or the Vigil agent, using an ingest key as the token."
        >
          <pre className="overflow-x-auto rounded-md bg-zinc-900 p-3 font-mono text-xs text-zinc-100 dark:bg-black dark:ring-1 dark:ring-zinc-700">
            {`curl -X PUT -H "X-Consul-Token: <ingest key>" ${typeof window === "undefined" ? "" : window.location.origin}/v1/agent/service/register \\
  -d '{"Name":"orders","ID":"orders-1","Port":8080,"Check":{"TTL":"15s","Status":"passing"}}'`}
          </pre>
        </Card>
        <HealthRulesCard projectId={projectId} canEdit={canEdit} />
      </div>
    );
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end gap-3 text-sm">
        <Field label="Health">
          <Select
            aria-label="Health"
            className="w-36"
            value={health}
            onChange={(event) => setHealth(event.target.value)}
          >
            <option value="all">all</option>
            <option value="passing">passing</option>
            <option value="warning">warning</option>
            <option value="critical">critical</option>
          </Select>
        </Field>
        <Field label="Tag">
          <Select
            aria-label="Tag"
            className="w-36"
            value={tag}
            onChange={(event) => setTag(event.target.value)}
          >
            <option value="">any</option>
            {tags.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </Select>
        </Field>
        <span className="ml-auto text-xs text-zinc-500">
          {shown.length} of {instances.data?.length ?? 0} instances
        </span>
      </div>
      {services.map((service) => (
        <Card key={service} title={service}>
          <ul className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {shown
              .filter((instance) => instance.service === service)
              .map((instance) => (
                <li
                  key={instance.id}
                  aria-label={`instance ${instance.id}`}
                  className="space-y-1 py-3 text-sm"
                >
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="font-medium">{instance.id}</span>
                    <HealthBadge status={instance.health} />
                    <span className="font-mono text-xs text-zinc-500">
                      {instance.address || "—"}
                      {instance.port ? `:${instance.port}` : " (no port)"}
                    </span>
                    {instance.meta.version ? (
                      <span className="text-xs text-zinc-500">v{instance.meta.version}</span>
                    ) : null}
                    {instance.tags.map((name) => (
                      <span
                        key={name}
                        className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs dark:bg-zinc-800"
                      >
                        {name}
                      </span>
                    ))}
                    {instance.load?.inFlight !== undefined ? (
                      <span
                        className="text-xs text-zinc-500"
                        title="Load reported with the last heartbeat: requests in flight and CPU share"
                      >
                        {instance.load.inFlight} in flight
                        {instance.load.cpu !== undefined
                          ? ` · CPU ${Math.round(instance.load.cpu * 100)}%`
                          : ""}
                      </span>
                    ) : null}
                    <LastHeartbeat checks={instance.checks} />
                  </div>
                  {instance.checks.map((check) => (
                    <div
                      key={check.id}
                      className="flex items-center gap-2 pl-4 text-xs text-zinc-600 dark:text-zinc-400"
                    >
                      <HealthBadge status={check.status} />
                      <span>{check.name}</span>
                      <span className="text-zinc-400">({check.kind})</span>
                      {check.output ? <span className="truncate">— {check.output}</span> : null}
                    </div>
                  ))}
                </li>
              ))}
          </ul>
        </Card>
      ))}
      <HealthRulesCard projectId={projectId} canEdit={canEdit} />
      <Card
        title="Recent changes"
        description="Registrations, check state changes and removals, newest first."
      >
        <ul className="space-y-1 text-sm">
          {events.data?.map((event) => (
            <li key={event.id} className="flex items-center gap-2">
              <span className="w-44 shrink-0 text-xs text-zinc-500">
                {formatWhen(new Date(event.at))}
              </span>
              <span className="font-medium">{event.instanceId}</span>
              {event.checkId ? (
                <span className="text-xs text-zinc-500">{event.checkId}</span>
              ) : null}
              {event.fromStatus ? <HealthBadge status={event.fromStatus} /> : null}
              <span aria-hidden="true">→</span>
              <HealthBadge status={event.toStatus} />
              {event.output ? (
                <span className="truncate text-xs text-zinc-500">{event.output}</span>
              ) : null}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

/** When the instance last reported (its latest heartbeat or check run). */
function LastHeartbeat({ checks }: { checks: { lastCheckedAt: Date | string | null }[] }) {
  const times = checks.flatMap((check) =>
    check.lastCheckedAt ? [new Date(check.lastCheckedAt).getTime()] : [],
  );
  if (times.length === 0)
    return <span className="ml-auto text-xs text-zinc-400">no heartbeat yet</span>;
  return (
    <span className="ml-auto text-xs text-zinc-500">
      last heartbeat {formatWhen(new Date(Math.max(...times)))}
    </span>
  );
}
