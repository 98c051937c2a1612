import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card } from "@/components/ui/card.tsx";
import { DomainError } from "@/domain/errors.ts";
import { getTrace } from "@/domain/traces/get-trace.ts";
import { waterfall } from "@/domain/traces/waterfall.ts";
import { formatMs, formatWhen } from "@/lib/format.ts";
import { projectPage } from "@/lib/project-page.ts";
import { SpanDetails } from "./span-details.tsx";

export const metadata: Metadata = { title: "Trace" };

const palette = [
  "bg-indigo-500",
  "bg-teal-500",
  "bg-amber-500",
  "bg-fuchsia-500",
  "bg-sky-500",
  "bg-lime-600",
];

export default async function TracePage({
  params,
}: {
  params: Promise<{ projectId: string; traceId: string }>;
}) {
  const { projectId, traceId } = await projectPage(params);
  const trace = await getTrace(projectId, traceId).catch((error: unknown) => {
    if (error instanceof DomainError) notFound();
    throw error;
  });
  const { rows, durationMs, services } = waterfall(trace.spans);
  const root = rows[0]?.span;
  const errors = trace.spans.filter((span) => span.status.code === "error").length;
  return (
    <div className="space-y-6">
      <div>
        <Link
          href={`/projects/${projectId}/traces`}
          className="text-sm text-indigo-600 hover:underline dark:text-indigo-400"
        >
          ← Traces
        </Link>
        <h1 className="mt-1 text-xl font-semibold">{root?.name ?? "Trace"}</h1>
        <p className="font-mono text-xs text-zinc-500">{trace.traceId}</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          {root ? formatWhen(new Date(root.startTime)) : ""} · {formatMs(durationMs)} ·{" "}
          {trace.spans.length} spans · {services.length} services
          {errors > 0 ? (
            <span className="font-medium text-red-700 dark:text-red-400"> · {errors} failed</span>
          ) : null}
        </p>
        <ul className="mt-2 flex flex-wrap gap-3 text-xs">
          {services.map((service, i) => (
            <li key={service} className="flex items-center gap-1.5">
              <span className={`inline-block size-2.5 rounded-sm ${palette[i % palette.length]}`} />
              {service}
            </li>
          ))}
        </ul>
      </div>
      <Card
        title="Waterfall"
        description="Spans under their parents; a bar on the left marks the critical path (what the trace waited for). Open a span for its attributes, events and links."
      >
        <ol className="space-y-0.5" aria-label="waterfall">
          {rows.map(({ span, depth, offset, width, serviceIndex, critical }) => {
            const failed = span.status.code === "error";
            return (
              <li
                key={span.spanId}
                aria-label={`span ${span.name}${critical ? " (critical path)" : ""}`}
                className={`border-l-2 ${critical ? "border-indigo-500" : "border-transparent"}`}
              >
                <details className="group">
                  <summary
                    className={`grid cursor-pointer grid-cols-[minmax(0,2fr)_minmax(0,3fr)_5rem] items-center gap-3 rounded px-2 py-1 text-sm hover:bg-zinc-100 dark:hover:bg-zinc-800 ${failed ? "bg-red-50 dark:bg-red-950/40" : ""}`}
                  >
                    <span className="truncate" style={{ paddingLeft: `${depth * 1}rem` }}>
                      <span className={failed ? "font-medium text-red-700 dark:text-red-400" : ""}>
                        {span.name}
                      </span>
                      <span className="ml-2 text-xs text-zinc-500">
                        {span.service.name} · {span.kind}
                      </span>
                    </span>
                    <span className="relative h-3 rounded bg-zinc-100 dark:bg-zinc-800">
                      <span
                        className={`absolute top-0 h-3 rounded ${failed ? "bg-red-500" : palette[serviceIndex % palette.length]}`}
                        style={{ left: `${offset * 100}%`, width: `${width * 100}%` }}
                      />
                    </span>
                    <span className="text-right text-xs tabular-nums">
                      {formatMs(span.durationMs)}
                    </span>
                  </summary>
                  <SpanDetails span={span} />
                </details>
              </li>
            );
          })}
        </ol>
      </Card>
    </div>
  );
}
