"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";

const time = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const number = (value: number) => value.toLocaleString("en", { maximumFractionDigits: 3 });

/** One metric over time. */
export function MetricChart({
  points,
  label,
  fromMs,
  toMs,
}: {
  points: { timeUnixMs: number; value: number | null }[];
  label: string;
  /** The time range, so the axis covers all of it however few points there are. */
  fromMs: number;
  toMs: number;
}) {
  return (
    <div role="img" aria-label={label} className="h-72 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points} margin={{ top: 8, right: 16, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" />
          <XAxis
            dataKey="timeUnixMs"
            type="number"
            domain={[fromMs, toMs]}
            tickFormatter={(t) => time.format(new Date(t))}
            fontSize={12}
          />
          <YAxis tickFormatter={number} fontSize={12} width={64} />
          <Tooltip
            labelFormatter={(t) => time.format(new Date(Number(t)))}
            formatter={(value) => [number(Number(value)), label]}
          />
          <Line
            dataKey="value"
            stroke="#6366f1"
            strokeWidth={2}
            dot={points.filter((p) => p.value !== null).length < 3}
            connectNulls
            isAnimationActive={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
