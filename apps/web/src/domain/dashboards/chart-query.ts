import { z } from "zod";
import { aggregations } from "../telemetry/metrics-query.ts";

/** What a saved chart shows: a metric query without its time range (the dashboard's). */
export const chartQuery = z.object({
  name: z.string().trim().min(1, "a chart needs a metric name").max(255),
  service: z.string().trim().min(1).max(255).optional(),
  where: z
    .record(z.string().min(1).max(255), z.string().max(1000))
    .refine((filters) => Object.keys(filters).length <= 20, "at most 20 attribute filters")
    .default({}),
  groupBy: z.string().trim().min(1).max(255).optional(),
  agg: z.enum(aggregations, `agg must be one of ${aggregations.join(", ")}`).default("avg"),
});
export type ChartQuery = z.infer<typeof chartQuery>;

export const chartInput = z.object({
  title: z
    .string()
    .trim()
    .min(1, "a chart needs a title")
    .max(120, "a title is at most 120 characters"),
  query: chartQuery,
});

export type Chart = z.infer<typeof chartInput> & { id: string };

/** The query's parameters as the metric query takes them (`attr.<key>` for filters). */
export function queryParams(query: ChartQuery): Record<string, string> {
  const params: Record<string, string> = { name: query.name, agg: query.agg };
  if (query.service) params.service = query.service;
  if (query.groupBy) params.groupBy = query.groupBy;
  for (const [key, value] of Object.entries(query.where)) params[`attr.${key}`] = value;
  return params;
}

/** A chart's default title: `p95(http.server.request.duration) · checkout by http.route`. */
export function defaultTitle(query: ChartQuery): string {
  const filters = Object.entries(query.where).map(([key, value]) => `${key}=${value}`);
  return [
    `${query.agg}(${query.name})`,
    query.service ? ` · ${query.service}` : "",
    filters.length ? ` · ${filters.join(" ")}` : "",
    query.groupBy ? ` by ${query.groupBy}` : "",
  ].join("");
}
