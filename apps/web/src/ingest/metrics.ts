import { db } from "@vigil/db";
import { type MetricPointRow, resolveSeries, seriesKey } from "@vigil/db/telemetry";
import { type Metric, type MetricsRequest, MetricType, Temporality } from "@vigil/otel";
import { ingestLimitsOf } from "../domain/tenancy/ingest-limits.ts";
import { Admission, type IngestResult } from "./admission.ts";
import { ingestQueues } from "./queues.ts";
import { newSeriesBudget } from "./series-budget.ts";
import { selfMetrics } from "./stats.ts";

const empty = {
  value: null,
  count: null,
  sum: null,
  min: null,
  max: null,
  counts: null,
  exp: null,
  quantiles: null,
};

/** The stored form of one point, as sent (readers take increases of cumulative series). */
function pointFields(
  metric: Metric,
  index: number,
): Omit<MetricPointRow, "projectId" | "seriesId"> {
  switch (metric.type) {
    case MetricType.gauge:
    case MetricType.sum: {
      const p = metric.points[index] as (typeof metric.points)[number];
      return {
        ...empty,
        timeNs: p.timeUnixNano,
        startNs: p.startTimeUnixNano,
        value: p.value,
      };
    }
    case MetricType.histogram: {
      const p = metric.points[index] as (typeof metric.points)[number];
      return {
        ...empty,
        timeNs: p.timeUnixNano,
        startNs: p.startTimeUnixNano,
        count: p.count,
        sum: p.sum,
        min: p.min,
        max: p.max,
        counts: p.bucketCounts,
      };
    }
    case MetricType.exponentialHistogram: {
      const p = metric.points[index] as (typeof metric.points)[number];
      const exp = {
        scale: p.scale,
        zeroCount: p.zeroCount,
        zeroThreshold: p.zeroThreshold,
        positive: p.positive,
        negative: p.negative,
      };
      return {
        ...empty,
        timeNs: p.timeUnixNano,
        startNs: p.startTimeUnixNano,
        count: p.count,
        sum: p.sum,
        min: p.min,
        max: p.max,
        exp,
      };
    }
    case MetricType.summary: {
      // Quantiles cannot be merged or differenced: a summary is kept as sent.
      const p = metric.points[index] as (typeof metric.points)[number];
      return {
        ...empty,
        timeNs: p.timeUnixNano,
        startNs: p.startTimeUnixNano,
        count: p.count,
        sum: p.sum,
        quantiles: p.quantiles,
      };
    }
  }
}

/** Stores a decoded metrics request for a project; resolves once every accepted point is durable. */
export async function ingestMetrics(
  projectId: string,
  request: MetricsRequest,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<IngestResult> {
  const rows: MetricPointRow[] = [];
  const admission = new Admission(request, nowNs);
  const pool = db().pool;
  const limits = await ingestLimitsOf(projectId);
  const budget = newSeriesBudget(projectId, limits.newSeriesPerMinute);
  const seen = new Set<string>();
  const limited = (limit: "series_per_request" | "new_series_per_minute", message: string) => {
    selfMetrics.limited.inc({ limit });
    admission.refuse(
      1,
      `${message}; raise the project's ingest limits in Settings if this is expected`,
    );
  };
  for (const { resource, scopes } of request.resources) {
    const count = scopes.reduce(
      (sum, scope) =>
        sum + scope.items.reduce((points, metric) => points + metric.points.length, 0),
      0,
    );
    if (count === 0) continue;
    const ref = await admission.service(projectId, resource, count);
    if (!ref) continue;
    for (const { items: metrics } of scopes) {
      for (const metric of metrics) {
        const meta = {
          name: metric.name,
          type: metric.type,
          unit: metric.unit,
          description: metric.description,
          monotonic: metric.type === MetricType.sum && metric.monotonic,
          // Quantiles cannot be differenced: a summary is kept as sent.
          cumulative:
            metric.type !== MetricType.summary &&
            "temporality" in metric &&
            metric.temporality === Temporality.cumulative,
          bounds: null,
        };
        for (let i = 0; i < metric.points.length; i++) {
          const fields = pointFields(metric, i);
          const point = metric.points[i] as { explicitBounds?: number[] };
          const shape = point.explicitBounds ? { ...meta, bounds: point.explicitBounds } : meta;
          if (!admission.inWindow(fields.timeNs, `metric "${metric.name}": a point`)) continue;
          const attributes = (metric.points[i] as { attributes: Record<string, unknown> })
            .attributes;
          const key = seriesKey(projectId, ref, shape, attributes);
          if (!seen.has(key.key)) {
            if (seen.size >= limits.seriesPerRequest) {
              limited(
                "series_per_request",
                `metric "${metric.name}": a request may hold at most ${limits.seriesPerRequest} series`,
              );
              continue;
            }
            seen.add(key.key);
          }
          const seriesId = await resolveSeries(pool, projectId, ref, shape, key, budget);
          if (seriesId === null) {
            limited(
              "new_series_per_minute",
              `metric "${metric.name}": the project may create at most ${limits.newSeriesPerMinute} new series a minute`,
            );
            continue;
          }
          rows.push({ projectId, seriesId, ...fields });
        }
      }
    }
  }
  await ingestQueues().metricPoints.enqueue(rows);
  return admission.result(rows.length);
}
