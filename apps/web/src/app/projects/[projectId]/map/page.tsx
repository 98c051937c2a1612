import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header.tsx";
import { CoverageNote } from "@/components/time/coverage-note.tsx";
import { Card } from "@/components/ui/card.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { rangeParams } from "@/domain/overview/time-range.ts";
import { NODE_HEIGHT, NODE_WIDTH } from "@/domain/service-map/layout.ts";
import { serviceMap } from "@/domain/service-map/service-map.ts";
import { formatMs, formatPercent, formatRate } from "@/lib/format.ts";
import { projectWindow, type RangePageProps } from "@/lib/range-page.ts";
import { gradeText } from "../overview/grade.tsx";

export const metadata: Metadata = { title: "Service map" };

const stroke = { good: "#10b981", warning: "#f59e0b", bad: "#ef4444", unknown: "#a1a1aa" };

export default async function ServiceMapPage(props: RangePageProps) {
  const { projectId, window, rangeProblem } = await projectWindow(props);
  const range = new URLSearchParams(rangeParams(window)).toString();
  const map = await serviceMap(projectId, window);
  const at = new Map(map.nodes.map((node) => [node.id, node]));
  const maxRate = Math.max(0, ...map.edges.map((edge) => edge.rate));

  return (
    <div className="space-y-6">
      <PageHeader
        title="Service map"
        description="Who calls whom, from spans: line width is the call rate, colour the error rate."
        window={window}
        rangeProblem={rangeProblem}
      />
      {map.nodes.length === 0 ? (
        <Card title="No services yet">
          <p className="text-sm text-zinc-500">
            Services appear here once they send traces; calls between them, and to databases and
            caches, once their spans carry parents and <code>db.system.name</code>.
          </p>
        </Card>
      ) : (
        <>
          <Card title="Map">
            <div className="overflow-x-auto">
              <svg
                role="img"
                aria-label="service map"
                width={map.width}
                height={map.height}
                className="text-zinc-900 dark:text-zinc-100"
              >
                {map.edges.map((edge) => {
                  const from = at.get(edge.caller);
                  const to = at.get(edge.callee);
                  if (!from || !to) return null;
                  const x1 = from.x + NODE_WIDTH;
                  const y1 = from.y + NODE_HEIGHT / 2;
                  const x2 = to.x;
                  const y2 = to.y + NODE_HEIGHT / 2;
                  const bend = Math.max(40, Math.abs(x2 - x1) / 2);
                  const width = 1.5 + (maxRate > 0 ? (edge.rate / maxRate) * 6 : 0);
                  return (
                    <path
                      key={`${edge.caller}->${edge.callee}`}
                      d={`M ${x1} ${y1} C ${x1 + bend} ${y1}, ${x2 - bend} ${y2}, ${x2} ${y2}`}
                      fill="none"
                      stroke={stroke[edge.grade]}
                      strokeWidth={width}
                      opacity={0.8}
                    >
                      <title>
                        {`${edge.caller} → ${edge.callee}: ${formatRate(edge.rate)}, ${formatPercent(edge.errorRate)} errors`}
                      </title>
                    </path>
                  );
                })}
                {map.nodes.map((node) => (
                  <a
                    key={node.id}
                    href={
                      node.kind === "service"
                        ? `/projects/${projectId}/services/${encodeURIComponent(node.id)}?${range}`
                        : undefined
                    }
                  >
                    <rect
                      x={node.x}
                      y={node.y}
                      width={NODE_WIDTH}
                      height={NODE_HEIGHT}
                      rx={node.kind === "database" ? 22 : 8}
                      className={
                        node.kind === "database"
                          ? "fill-zinc-100 stroke-zinc-400 dark:fill-zinc-800"
                          : "fill-white stroke-indigo-400 dark:fill-zinc-900"
                      }
                    />
                    <text
                      x={node.x + NODE_WIDTH / 2}
                      y={node.y + NODE_HEIGHT / 2 + 5}
                      textAnchor="middle"
                      className="fill-current text-sm"
                    >
                      {node.id}
                    </text>
                  </a>
                ))}
              </svg>
            </div>
          </Card>
          <Card title="Dependencies" description="Every edge of the map with its figures.">
            <CoverageNote seconds={map.coverage.shortestSeconds} window={window} />
            {map.edges.length === 0 ? (
              <p className="text-sm text-zinc-500">
                No calls between services in this range: spans need a parent in another service.
              </p>
            ) : (
              <DataTable columns={["Call", "Calls", "Rate", "Errors", "Avg latency"]}>
                {map.edges.map((edge) => (
                  <tr
                    key={`${edge.caller}->${edge.callee}`}
                    aria-label={`${edge.caller} calls ${edge.callee}`}
                  >
                    <td className="py-2 pr-4">
                      <Link
                        className="font-medium hover:underline"
                        href={`/projects/${projectId}/traces?service=${encodeURIComponent(edge.caller)}&${range}`}
                      >
                        {edge.caller}
                      </Link>{" "}
                      → {edge.callee}
                      {edge.kind === "database" ? (
                        <span className="ml-1 text-xs text-zinc-500">(database)</span>
                      ) : null}
                    </td>
                    <td className="py-2 pr-4 tabular-nums">{edge.calls.toLocaleString("en")}</td>
                    <td className="py-2 pr-4 tabular-nums">{formatRate(edge.rate)}</td>
                    <td className={`py-2 pr-4 tabular-nums ${gradeText[edge.grade]}`}>
                      {formatPercent(edge.errorRate)}
                    </td>
                    <td className="py-2 pr-4 tabular-nums">{formatMs(edge.avgMs)}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Card>
        </>
      )}
    </div>
  );
}
