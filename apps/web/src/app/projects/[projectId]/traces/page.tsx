import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header.tsx";
import { RangeFields } from "@/components/time/range-fields.tsx";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Card } from "@/components/ui/card.tsx";
import { Field, Input, Select } from "@/components/ui/field.tsx";
import { DataTable } from "@/components/ui/table.tsx";
import { DomainError } from "@/domain/errors.ts";
import { parseAttributeText } from "@/domain/telemetry/query-params.ts";
import { listServices } from "@/domain/telemetry/services.ts";
import { findTraces } from "@/domain/telemetry/trace-search.ts";
import { formatMs, formatWhen } from "@/lib/format.ts";
import { projectWindow, type RangePageProps } from "@/lib/range-page.ts";
import { ServiceFilter } from "../filters.tsx";

export const metadata: Metadata = { title: "Traces" };

type Search = {
  service?: string;
  operation?: string;
  attributes?: string;
  minDurationMs?: string;
  status?: string;
  range?: string;
  from?: string;
  to?: string;
};

/** Trace search: a plain GET form, so every search is a URL that can be shared. */
export default async function TracesPage(props: RangePageProps<Search>) {
  const { projectId, window, rangeProblem, search } = await projectWindow(props);
  const services = await listServices(projectId);
  let result: Awaited<ReturnType<typeof findTraces>> | null = null;
  let problem: string | null = null;
  try {
    const attributes = Object.entries(parseAttributeText(search.attributes)).map(([key, value]) => [
      `attr.${key}`,
      value,
    ]);
    result = await findTraces(projectId, {
      ...Object.fromEntries(attributes),
      service: search.service || undefined,
      operation: search.operation || undefined,
      minDurationMs: search.minDurationMs || undefined,
      status: search.status || undefined,
      from: String(window.fromMs),
      to: String(window.toMs),
      limit: 50,
    });
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    problem = error.message;
  }

  return (
    <div className="space-y-6">
      <PageHeader
        title="Traces"
        description="The most recent traces with a span matching every filter; open one for its waterfall."
        window={window}
        rangeProblem={rangeProblem}
      />
      <form className="flex flex-wrap items-end gap-3" method="get" aria-label="trace search">
        <RangeFields window={window} />
        <ServiceFilter services={services} value={search.service} />
        <Field label="Operation">
          <Input
            name="operation"
            defaultValue={search.operation ?? ""}
            placeholder="GET /checkout"
            className="w-44"
          />
        </Field>
        <Field label="Attributes">
          <Input
            name="attributes"
            defaultValue={search.attributes ?? ""}
            placeholder="order.id=42 http.route=/pay"
            className="w-64"
          />
        </Field>
        <Field label="Slower than (ms)">
          <Input
            name="minDurationMs"
            type="number"
            min={0}
            defaultValue={search.minDurationMs ?? ""}
            className="w-32"
          />
        </Field>
        <Field label="Status">
          <Select name="status" defaultValue={search.status ?? ""}>
            {["", "error", "ok", "unset"].map((status) => (
              <option key={status} value={status}>
                {status || "any"}
              </option>
            ))}
          </Select>
        </Field>
        <Button type="submit">Search</Button>
      </form>
      {problem ? <Alert tone="error">{problem}</Alert> : null}
      <Card
        title="Results"
        description={`${result?.traces.length ?? 0} ${result?.traces.length === 1 ? "trace" : "traces"}, newest first`}
      >
        {result && result.traces.length > 0 ? (
          <DataTable columns={["Started", "Root", "Duration", "Spans", "Errors"]}>
            {result.traces.map((trace) => (
              <tr key={trace.traceId} aria-label={`trace ${trace.rootService} ${trace.rootName}`}>
                <td className="py-2 pr-4 whitespace-nowrap">
                  {formatWhen(new Date(trace.startTime))}
                </td>
                <td className="py-2 pr-4">
                  <Link
                    href={`/projects/${projectId}/traces/${trace.traceId}`}
                    className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                  >
                    {trace.rootName}
                  </Link>
                  <span className="ml-2 text-xs text-zinc-500">{trace.rootService}</span>
                </td>
                <td className="py-2 pr-4 tabular-nums">{formatMs(trace.durationMs)}</td>
                <td className="py-2 pr-4 tabular-nums">{trace.spanCount}</td>
                <td
                  className={`py-2 pr-4 tabular-nums ${trace.errorCount > 0 ? "font-medium text-red-700 dark:text-red-400" : ""}`}
                >
                  {trace.errorCount}
                </td>
              </tr>
            ))}
          </DataTable>
        ) : (
          <p className="text-sm text-zinc-500">
            No traces match in this range. Services send traces with the Vigil agent or any
            OpenTelemetry SDK; widen the range or clear a filter.
          </p>
        )}
      </Card>
    </div>
  );
}
