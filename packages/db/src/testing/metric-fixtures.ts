// Projects, series and points for the telemetry tests, through the real writers' own functions.
import { randomBytes } from "node:crypto";
import type { Database } from "../client.ts";
import type { MetricPointRow } from "../telemetry/write/metric-rows.ts";
import { resolveSeries, seriesKey } from "../telemetry/write/series.ts";
import { resolveService } from "../telemetry/write/services.ts";

export type SeriesRef = { projectId: string; seriesId: bigint };

/** A new organisation with one project; returns the project's id. */
export async function newProject(database: Database): Promise<string> {
  const tag = randomBytes(4).toString("hex");
  const org = await database.prisma.organization.create({
    data: { name: tag, slug: tag, projects: { create: { name: tag, slug: tag } } },
    select: { projects: { select: { id: true } } },
  });
  return org.projects[0]?.id ?? "";
}

/** A metric series of a service instance (monotonic, for sums), created as ingestion would. */
export async function newSeries(
  database: Database,
  projectId: string,
  metric: {
    name: string;
    type: number;
    unit?: string;
    attributes?: Record<string, unknown>;
    /** Points hold running totals (readers take increases). */
    cumulative?: boolean;
    bounds?: number[];
  },
  at: { service?: string; instance?: string } = {},
): Promise<SeriesRef> {
  const ref = await resolveService(database.pool, projectId, {
    name: at.service ?? "shop",
    environment: "",
    instance: at.instance ?? "a",
    version: "",
    host: "",
    attributes: {},
  });
  const meta = {
    name: metric.name,
    type: metric.type,
    unit: metric.unit ?? "",
    description: "",
    monotonic: true,
    cumulative: metric.cumulative ?? false,
    bounds: metric.bounds ?? null,
  };
  const key = seriesKey(ref, meta, metric.attributes ?? {});
  const seriesId = await resolveSeries(database.pool, projectId, ref, meta, key);
  if (seriesId === null) throw new Error("fixture: series not created");
  return { projectId, seriesId };
}

/** A point of the series with nothing set but its times and `fields`. */
export function pointOf(
  series: SeriesRef,
  times: { timeNs: bigint; startNs: bigint },
  fields: Partial<MetricPointRow>,
): MetricPointRow {
  return {
    ...series,
    ...times,
    value: null,
    count: null,
    sum: null,
    min: null,
    max: null,
    counts: null,
    exp: null,
    quantiles: null,
    ...fields,
  };
}
