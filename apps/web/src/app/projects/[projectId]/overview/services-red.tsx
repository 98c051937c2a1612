"use client";

import Link from "next/link";
import { SparkCell } from "@/components/charts/sparkline.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import type { ServiceRed } from "@/domain/overview/overview.ts";
import { formatMs, formatPercent, formatRate } from "@/lib/format.ts";
import { GradeDot, gradeText } from "./grade.tsx";

export type ServiceRow = {
  name: string;
  environment: string;
  versions: string[];
  red: ServiceRed | null;
  /** The service's page and its traces, in the same time range. */
  serviceHref: string;
  tracesHref: string;
};

const healthStyle = {
  passing: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  critical: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

/** Every service with throughput, error rate and latency, worst first, and its registry health. */
export function ServicesRed({ rows }: { rows: ServiceRow[] }) {
  return (
    <DataTable columns={["Service", "Health", "Throughput", "Errors", "Latency p50 / p95 / p99"]}>
      {rows.map(({ name, environment, versions, red, serviceHref, tracesHref }) => (
        <tr key={`${name}/${environment}`} aria-label={`service ${name}`}>
          <td className="py-2.5 pr-4">
            <div className="flex items-center gap-2">
              <GradeDot grade={red?.grade ?? "unknown"} />
              <Link
                href={serviceHref}
                title={`${name}: routes, instances, operations and dependencies`}
                className="font-medium hover:text-indigo-600 hover:underline dark:hover:text-indigo-400"
              >
                {name}
              </Link>
            </div>
            <div className="pl-4.5 text-xs text-zinc-500">
              {[environment, versions.join(", ")].filter(Boolean).join(" · ") || "—"}
              {" · "}
              <Link href={tracesHref} className="hover:text-indigo-600 hover:underline">
                traces
              </Link>
            </div>
          </td>
          <td className="py-2.5 pr-4">
            {red?.health ? (
              <span
                className={`rounded px-1.5 py-0.5 text-xs font-medium ${healthStyle[red.health]}`}
              >
                {red.health}
              </span>
            ) : (
              <span className="text-xs text-zinc-400">not registered</span>
            )}
            {red?.instances.registered ? (
              <div className="text-xs text-zinc-500">
                {red.instances.passing}/{red.instances.registered} instances passing
              </div>
            ) : null}
          </td>
          {red && red.requests > 0 ? (
            <>
              <SparkCell
                value={formatRate(red.rate)}
                detail={`${red.requests.toLocaleString("en")} req`}
                spark={red.spark}
                field="rate"
                color="#6366f1"
                label={`${name} throughput over time`}
              />
              <SparkCell
                value={formatPercent(red.errorRate)}
                detail={`${red.errors.toLocaleString("en")} failed`}
                valueClass={gradeText[red.grade]}
                spark={red.spark}
                field="errorRate"
                color="#ef4444"
                label={`${name} error rate over time`}
              />
              <SparkCell
                value={`${formatMs(red.p50)} / ${formatMs(red.p95)} / ${formatMs(red.p99)}`}
                spark={red.spark}
                field="p95"
                color="#0ea5e9"
                label={`${name} p95 latency over time`}
              />
            </>
          ) : (
            <td colSpan={3} className="py-2.5 pr-4 text-xs text-zinc-500">
              No requests in this range (no server spans or http.server.request.duration).
            </td>
          )}
        </tr>
      ))}
    </DataTable>
  );
}
