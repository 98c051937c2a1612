"use client";

import { Line, LineChart } from "recharts";

type SparkField = "rate" | "errorRate" | "p95";
/** One step of a sparkline: throughput, error rate and p95 latency. */
export type SparkPoint = { t: number } & Record<SparkField, number | null>;

function Sparkline({
  data,
  field,
  color,
  label,
}: {
  data: SparkPoint[];
  field: SparkField;
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

/** A figure, an optional count under it, and its sparkline. */
export function SparkCell({
  value,
  detail,
  valueClass = "",
  spark,
  field,
  color,
  label,
}: {
  value: string;
  detail?: string;
  valueClass?: string;
  spark: SparkPoint[];
  field: SparkField;
  color: string;
  label: string;
}) {
  return (
    <td className="py-2.5 pr-4">
      <div className="flex items-center gap-3">
        <span className={`tabular-nums ${detail ? "w-20" : ""} ${valueClass}`}>
          {value}
          {detail ? <span className="block text-xs text-zinc-500">{detail}</span> : null}
        </span>
        <Sparkline data={spark} field={field} color={color} label={label} />
      </div>
    </td>
  );
}
