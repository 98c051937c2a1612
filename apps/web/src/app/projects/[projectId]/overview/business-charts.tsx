"use client";

import { BUSINESS_PREFIX } from "@vigil/otel/vocabulary";
import { Area, AreaChart, ResponsiveContainer, Tooltip, XAxis } from "recharts";
import type { BusinessMetric } from "@/domain/overview/business.ts";

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

function formatValue(value: number): string {
  return Number.isInteger(value)
    ? value.toLocaleString("en")
    : value.toLocaleString("en", { maximumFractionDigits: 2 });
}

/** Every business metric as a small chart with its total (counts) or latest value (levels). */
export function BusinessCharts({ metrics }: { metrics: BusinessMetric[] }) {
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
      {metrics.map((metric) => (
        <li
          key={metric.name}
          aria-label={metric.name}
          className="rounded-md border border-zinc-200 p-3 dark:border-zinc-800"
        >
          <div className="flex items-baseline justify-between gap-2">
            <span className="truncate text-sm font-medium">
              {metric.name.slice(BUSINESS_PREFIX.length)}
            </span>
            <span className="text-lg font-semibold tabular-nums">
              {formatValue(metric.total)}
              {metric.unit && metric.unit !== "1" ? (
                <span className="ml-1 text-xs font-normal text-zinc-500">{metric.unit}</span>
              ) : null}
            </span>
          </div>
          <p className="text-xs text-zinc-500">
            {metric.kind === "count" ? "total in range" : "latest"}
          </p>
          <div className="mt-2 h-16">
            <ResponsiveContainer width="100%" height="100%">
              <AreaChart data={metric.points}>
                <XAxis dataKey="t" hide />
                <Tooltip
                  labelFormatter={(t) => time.format(new Date(Number(t)))}
                  formatter={(value) => [formatValue(Number(value)), metric.name]}
                />
                <Area
                  dataKey="value"
                  type="monotone"
                  stroke="#6366f1"
                  fill="#6366f1"
                  fillOpacity={0.15}
                  dot={false}
                  isAnimationActive={false}
                />
              </AreaChart>
            </ResponsiveContainer>
          </div>
        </li>
      ))}
    </ul>
  );
}
