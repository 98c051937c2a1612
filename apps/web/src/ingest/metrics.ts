import { db } from "@vigil/db";
import {
  type MetricPointRow,
  resolveSeriesMany,
  type SeriesMeta,
  sameNumbers,
  seriesKey,
  type WantedSeries,
} from "@vigil/db/telemetry";
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

type PointCommon = {
  timeUnixNano: bigint;
  attributes: Record<string, unknown>;
  explicitBounds?: number[];
};

/** The stored form of one point, as sent (readers take increases of cumulative series). */
function pointRow(
  metric: Metric,
  index: number,
  projectId: string,
  seriesId: bigint,
): MetricPointRow {
  switch (metric.type) {
    case MetricType.gauge:
    case MetricType.sum: {
      const p = metric.points[index] as (typeof metric.points)[number];
      return {
        ...empty,
        projectId,
        seriesId,
        timeNs: p.timeUnixNano,
        startNs: p.startTimeUnixNano,
        // A Prometheus staleness marker is kept as a point without a value.
        value: "stale" in p && p.stale ? null : p.value,
      };
    }
    case MetricType.histogram: {
      const p = metric.points[index] as (typeof metric.points)[number];
      return {
        ...empty,
        projectId,
        seriesId,
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
        projectId,
        seriesId,
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
        projectId,
        seriesId,
        timeNs: p.timeUnixNano,
        startNs: p.startTimeUnixNano,
        count: p.count,
        sum: p.sum,
        quantiles: p.quantiles,
      };
    }
  }
}

/** What a metric's series are (the bounds are set per histogram point). */
function seriesMetaOf(metric: Metric): SeriesMeta {
  return {
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
    prometheus: metric.prometheus ?? false,
  };
}

/** Stores a decoded metrics request for a project; resolves once every accepted point is durable. */
export async function ingestMetrics(
  projectId: string,
  request: MetricsRequest,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<IngestResult> {
  const admission = new Admission(request, nowNs);
  const limits = await ingestLimitsOf(projectId);
  const seen = new Set<string>();
  const limited = (limit: "series_per_request" | "new_series_per_minute", message: string) => {
    selfMetrics.limited.inc({ limit });
    admission.refuse(
      1,
      `${message}; raise the project's ingest limits in Settings if this is expected`,
    );
  };
  // First the series every admitted point belongs to, then their ids all at once.
  // Point i is metrics[i].points[indexes[i]] (parallel arrays: no object per point).
  const metrics: Metric[] = [];
  const indexes: number[] = [];
  const wanted: WantedSeries[] = [];
  for (const { resource, scopes } of request.resources) {
    const count = scopes.reduce(
      (sum, scope) =>
        sum + scope.items.reduce((points, metric) => points + metric.points.length, 0),
      0,
    );
    if (count === 0) continue;
    const ref = await admission.service(projectId, resource, count);
    if (!ref) continue;
    for (const { items } of scopes) {
      for (const metric of items) {
        let meta = seriesMetaOf(metric);
        const what = `metric "${metric.name}": a point`;
        for (let index = 0; index < metric.points.length; index++) {
          const point = metric.points[index] as PointCommon;
          if (!admission.inWindow(point.timeUnixNano, what)) continue;
          // A histogram's layout is its series' (usually one per metric: the meta is reused).
          if (point.explicitBounds && !sameNumbers(point.explicitBounds, meta.bounds))
            meta = { ...meta, bounds: point.explicitBounds };
          const series = seriesKey(ref, meta, point.attributes);
          if (!seen.has(series.key)) {
            if (seen.size >= limits.seriesPerRequest) {
              limited(
                "series_per_request",
                `metric "${metric.name}": a request may hold at most ${limits.seriesPerRequest} series`,
              );
              continue;
            }
            seen.add(series.key);
          }
          metrics.push(metric);
          indexes.push(index);
          wanted.push({ ref, meta, series });
        }
      }
    }
  }
  const budget = newSeriesBudget(projectId, limits.newSeriesPerMinute);
  const ids = await resolveSeriesMany(db().pool, projectId, wanted, budget);
  const rows: MetricPointRow[] = [];
  for (let i = 0; i < wanted.length; i++) {
    const metric = metrics[i] as Metric;
    const seriesId = ids[i];
    if (seriesId === null || seriesId === undefined) {
      limited(
        "new_series_per_minute",
        `metric "${metric.name}": the project may create at most ${limits.newSeriesPerMinute} new series a minute`,
      );
      continue;
    }
    rows.push(pointRow(metric, indexes[i] as number, projectId, seriesId));
  }
  await ingestQueues().metricPoints.enqueue(rows);
  return admission.result(rows.length);
}
