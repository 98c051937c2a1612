"use client";

import { useRouter } from "next/navigation";
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { formatMetricValue } from "@/lib/format.ts";

const time = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const short = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
export const PALETTE = [
  "#6366f1",
  "#10b981",
  "#f59e0b",
  "#ef4444",
  "#06b6d4",
  "#a855f7",
  "#84cc16",
  "#ec4899",
];

export type ChartSeries = {
  /** The group's name (a legend entry); null for an ungrouped chart. */
  group: string | null;
  points: { timeUnixMs: number; value: number | null }[];
};

/**
 * One metric over time, a line per group. With `tracesHref`, clicking a point opens the traces
 * of that step (the link gets `from` and `to` of the step).
 */
export function SeriesChart({
  series,
  label,
  fromMs,
  toMs,
  stepMs,
  tracesHref,
  unit = "",
  height = "h-72",
}: {
  series: ChartSeries[];
  label: string;
  /** The time range, so the axis covers all of it however few points there are. */
  fromMs: number;
  toMs: number;
  stepMs: number;
  tracesHref?: string;
  /** The metric's unit, for the axis and tooltip. */
  unit?: string;
  height?: string;
}) {
  const number = (value: number) => formatMetricValue(value, unit);
  const router = useRouter();
  const shown = series.slice(0, PALETTE.length * 2);
  const rows = new Map<number, Record<string, number | null>>();
  shown.forEach((line, index) => {
    for (const point of line.points) {
      const row = rows.get(point.timeUnixMs) ?? { t: point.timeUnixMs };
      row[`s${index}`] = point.value;
      rows.set(point.timeUnixMs, row);
    }
  });
  const data = [...rows.values()].sort((a, b) => Number(a.t) - Number(b.t));
  const openTraces = (t: number) => {
    if (!tracesHref || !Number.isFinite(t)) return;
    const join = tracesHref.includes("?") ? "&" : "?";
    router.push(`${tracesHref}${join}from=${t}&to=${t + stepMs}`);
  };
  const sparse = data.length < 3;
  const spanDays = (toMs - fromMs) / 86_400_000;
  return (
    <div role="img" aria-label={label} className={`${height} w-full`}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart
          data={data}
          margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
          onClick={(state) => {
            const index = Number(state?.activeIndex);
            openTraces(Number(state?.activeLabel ?? data[index]?.t));
          }}
          className={tracesHref ? "cursor-pointer" : undefined}
        >
          <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
          <XAxis
            dataKey="t"
            type="number"
            domain={[fromMs, toMs]}
            tickFormatter={(t) => (spanDays > 1 ? time : short).format(new Date(t))}
            fontSize={12}
          />
          <YAxis tickFormatter={number} fontSize={12} width={64} />
          <Tooltip
            labelFormatter={(t) => time.format(new Date(Number(t)))}
            formatter={(value, key) => {
              const index = Number(String(key).slice(1));
              return [number(Number(value)), shown[index]?.group ?? label];
            }}
          />
          {shown.length > 1 ? (
            <Legend formatter={(key) => shown[Number(String(key).slice(1))]?.group ?? "(none)"} />
          ) : null}
          {shown.map((line, index) => (
            <Line
              key={line.group ?? "all"}
              dataKey={`s${index}`}
              stroke={PALETTE[index % PALETTE.length]}
              strokeDasharray={index >= PALETTE.length ? "4 2" : undefined}
              strokeWidth={2}
              dot={sparse}
              activeDot={{
                r: 5,
                onClick: (_event, point) =>
                  openTraces(Number((point as { payload?: { t?: number } }).payload?.t)),
              }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
