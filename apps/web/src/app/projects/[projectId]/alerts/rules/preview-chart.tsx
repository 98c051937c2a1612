"use client";

import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { PALETTE } from "@/components/charts/series-chart.tsx";
import type { RulePreview } from "@/domain/alerting/preview.ts";

const clock = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });

/** Spans of consecutive points in one state, to shade where the rule would have fired. */
type Point = { t: number; state: string };

function spans(points: Point[], state: string) {
  const found: { from: number; to: number }[] = [];
  points.forEach((point, index) => {
    if (point.state !== state) return;
    const last = found.at(-1);
    if (last && points[index - 1]?.state === state) last.to = point.t;
    else found.push({ from: point.t, to: point.t });
  });
  return found;
}

/** A preview group's value over time, the threshold, and shading where it was pending or firing. */
export function PreviewChart({
  group,
  threshold,
  index,
}: {
  group: RulePreview["groups"][number];
  threshold: number | null;
  index: number;
}) {
  return (
    <div className="h-40" role="img" aria-label="rule preview chart">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={group.points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="#e4e4e7" />
          <XAxis
            dataKey="t"
            type="number"
            domain={["dataMin", "dataMax"]}
            tickFormatter={(t: number) => clock.format(t)}
            fontSize={11}
          />
          <YAxis fontSize={11} width={48} />
          <Tooltip labelFormatter={(t) => clock.format(Number(t))} />
          {spans(group.points, "pending").map((span) => (
            <ReferenceArea
              key={`p${span.from}`}
              x1={span.from}
              x2={span.to}
              fill="#f59e0b"
              fillOpacity={0.15}
            />
          ))}
          {spans(group.points, "firing").map((span) => (
            <ReferenceArea
              key={`f${span.from}`}
              x1={span.from}
              x2={span.to}
              fill="#ef4444"
              fillOpacity={0.2}
            />
          ))}
          {threshold !== null ? (
            <ReferenceLine y={threshold} stroke="#ef4444" strokeDasharray="4 4" />
          ) : null}
          <Line
            type="monotone"
            dataKey="value"
            stroke={PALETTE[index % PALETTE.length]}
            dot={false}
            isAnimationActive={false}
            connectNulls={false}
          />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}
