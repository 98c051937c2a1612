"use client";

import { Line, LineChart } from "recharts";
import type { ServiceRed } from "@/domain/overview/overview.ts";
import { formatMs, formatPercent, formatRate } from "@/lib/format.ts";
import { GradeDot, gradeText } from "./grade.tsx";

export type ServiceRow = {
  name: string;
  environment: string;
  versions: string[];
  red: ServiceRed | null;
};

function Sparkline({
  data,
  field,
  color,
  label,
}: {
  data: ServiceRed["spark"];
  field: "rate" | "errorRate" | "p95";
  color: string;
  label: string;
}) {
  // One point is no trend: keep the space, draw nothing.
  if (data.filter((point) => point[field] !== null).length < 2)
    return <div className="h-6 w-[88px] shrink-0" />;
  return (
    <div role="img" aria-label={label} className="shrink-0">
      <LineChart width={88} height={24} data={data}>
        <Line
          dataKey={field}
          stroke={color}
          strokeWidth={1.5}
          dot={false}
          isAnimationActive={false}
          connectNulls
        />
      </LineChart>
    </div>
  );
}

const healthStyle = {
  passing: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  warning: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  critical: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
};

/** Every service with throughput, error rate and latency, worst first, and its registry health. */
export function ServicesRed({ rows }: { rows: ServiceRow[] }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <thead className="text-xs uppercase tracking-wide text-zinc-500">
          <tr>
            <th className="py-2 pr-4 font-medium">Service</th>
            <th className="py-2 pr-4 font-medium">Health</th>
            <th className="py-2 pr-4 font-medium">Throughput</th>
            <th className="py-2 pr-4 font-medium">Errors</th>
            <th className="py-2 pr-4 font-medium">Latency p50 / p95 / p99</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {rows.map(({ name, environment, versions, red }) => (
            <tr key={`${name}/${environment}`} aria-label={`service ${name}`}>
              <td className="py-2.5 pr-4">
                <div className="flex items-center gap-2">
                  <GradeDot grade={red?.grade ?? "unknown"} />
                  <span className="font-medium">{name}</span>
                </div>
                <div className="pl-4.5 text-xs text-zinc-500">
                  {[environment, versions.join(", ")].filter(Boolean).join(" · ") || "—"}
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
                  <td className="py-2.5 pr-4">
                    <div className="flex items-center gap-3">
                      <span className="w-20 tabular-nums">
                        {formatRate(red.rate)}
                        <span className="block text-xs text-zinc-500">
                          {red.requests.toLocaleString("en")} req
                        </span>
                      </span>
                      <Sparkline
                        data={red.spark}
                        field="rate"
                        color="#6366f1"
                        label={`${name} throughput over time`}
                      />
                    </div>
                  </td>
                  <td className="py-2.5 pr-4">
                    <div className="flex items-center gap-3">
                      <span className={`w-20 tabular-nums ${gradeText[red.grade]}`}>
                        {formatPercent(red.errorRate)}
                        <span className="block text-xs text-zinc-500">
                          {red.errors.toLocaleString("en")} failed
                        </span>
                      </span>
                      <Sparkline
                        data={red.spark}
                        field="errorRate"
                        color="#ef4444"
                        label={`${name} error rate over time`}
                      />
                    </div>
                  </td>
                  <td className="py-2.5 pr-4">
                    <div className="flex items-center gap-3">
                      <span className="tabular-nums">
                        {formatMs(red.p50)} / {formatMs(red.p95)} / {formatMs(red.p99)}
                      </span>
                      <Sparkline
                        data={red.spark}
                        field="p95"
                        color="#0ea5e9"
                        label={`${name} p95 latency over time`}
                      />
                    </div>
                  </td>
                </>
              ) : (
                <td colSpan={3} className="py-2.5 pr-4 text-xs text-zinc-500">
                  No requests in this range (no server spans or http.server.request.duration).
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
