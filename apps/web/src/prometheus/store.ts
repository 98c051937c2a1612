// Vigil's metric store as PromQL sees it: every stored series becomes one or more Prometheus
// series (a histogram: its `_bucket{le}` series with cumulative counts, `_sum` and `_count`),
// named by the OpenTelemetry specification's rules unless it arrived from Prometheus, where its
// name and labels are kept as sent. OpenTelemetry counters and histograms, delta or cumulative,
// read as running totals of their increases (querier.ts); the rest as stored.

import { LruCache } from "@vigil/db";
import {
  type PromCatalogRow,
  type PromPointRow,
  prometheusCatalog,
  prometheusCatalogVersion,
  prometheusTargets,
} from "@vigil/db/telemetry";
import { jobOf, labelValue, prometheusName, sanitizeLabelName } from "@vigil/otel";
import { matchesValue } from "../lib/label-match.ts";
import type { Matcher } from "./promql/ast.ts";
import { getLabel, type Labels, labelsOf, NAME } from "./promql/labels.ts";
import type { SampleSeries } from "./promql/values.ts";

type Pool = Parameters<typeof prometheusCatalog>[0];

/** Which number of a stored point a Prometheus series reads (a bucket: those up to `index`). */
export type Field =
  | { kind: "value" }
  | { kind: "count" }
  | { kind: "sum" }
  | { kind: "bucket"; index: number };

/** A Prometheus series: its labels, the stored series it reads and how it reads a point. */
export type PromSeries = {
  labels: Labels;
  seriesId: string;
  field: Field;
  /**
   * How its samples are made. "stored": the points as stored (null values are staleness
   * markers); "running": a counter or histogram read as a running total of its increases (see
   * prometheus-increases.ts), from the first point's stored value (`cumulative`) or its delta.
   */
  read: "stored" | "running";
  cumulative: boolean;
  /** When its instance was last heard from (ms): /series and /labels leave out the long gone. */
  lastSeenMs: number;
  /** For /metadata: counter, gauge, histogram or summary, and the unit. */
  family: { name: string; type: string; unit: string; help: string };
};

/** A point's number as `field` reads it; null is a staleness marker, undefined no sample. */
export function readField(field: Field, point: PromPointRow): number | null | undefined {
  switch (field.kind) {
    case "value":
      return point.value;
    case "count":
      return point.count ?? undefined;
    case "sum":
      return point.sum ?? undefined;
    case "bucket": {
      if (!point.counts) return undefined;
      let total = 0;
      for (let j = 0; j <= field.index; j++) total += point.counts[j] ?? 0;
      return total;
    }
  }
}

const GAUGE = 1;
const SUM = 2;
const HISTOGRAM = 3;

function formatBound(bound: number): string {
  return bound === Number.POSITIVE_INFINITY ? "+Inf" : String(bound);
}

function otelLabels(row: PromCatalogRow): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(row.attributes)) {
    const name = sanitizeLabelName(key);
    const text = labelValue(value);
    // Two keys that sanitize alike join their values, as the specification says.
    labels[name] = labels[name] ? `${labels[name]};${text}` : text;
  }
  const namespace = row.resource["service.namespace"];
  labels.job = jobOf(row.service, typeof namespace === "string" ? namespace : undefined);
  labels.instance = row.instance;
  return labels;
}

/** The Prometheus series one stored series is read as (none for kinds PromQL cannot read). */
export function prometheusSeriesOf(row: PromCatalogRow): PromSeries[] {
  const one = (
    labels: Record<string, string>,
    field: Field,
    read: PromSeries["read"],
    family: PromSeries["family"],
  ) => ({
    labels: labelsOf(labels),
    seriesId: row.id,
    field,
    read,
    cumulative: row.cumulative,
    lastSeenMs: row.last_seen_ms,
    family,
  });
  if (row.prometheus) {
    const type = row.type === SUM ? "counter" : "gauge";
    const family = { name: row.name, type, unit: "", help: "" };
    return [
      one(
        { ...(row.attributes as Record<string, string>), [NAME]: row.name },
        { kind: "value" },
        "stored",
        family,
      ),
    ];
  }
  const base = otelLabels(row);
  const name = prometheusName(row);
  const help = "";
  if (row.type === GAUGE || (row.type === SUM && !row.monotonic && row.cumulative)) {
    const family = { name, type: "gauge", unit: row.unit, help };
    return [one({ ...base, [NAME]: name }, { kind: "value" }, "stored", family)];
  }
  if (row.type === SUM && row.monotonic) {
    const family = { name, type: "counter", unit: row.unit, help };
    return [one({ ...base, [NAME]: name }, { kind: "value" }, "running", family)];
  }
  if (row.type === HISTOGRAM) {
    const family = { name, type: "histogram", unit: row.unit, help };
    const bucket = `${name}_bucket`;
    return [
      ...(row.bounds ?? []).map((bound, index) =>
        one(
          { ...base, [NAME]: bucket, le: formatBound(bound) },
          { kind: "bucket", index },
          "running",
          family,
        ),
      ),
      one({ ...base, [NAME]: bucket, le: "+Inf" }, { kind: "count" }, "running", family),
      one({ ...base, [NAME]: `${name}_count` }, { kind: "count" }, "running", family),
      one({ ...base, [NAME]: `${name}_sum` }, { kind: "sum" }, "running", family),
    ];
  }
  // A delta up-down counter has no level to read; summaries and exponential histograms are
  // not read by PromQL yet.
  return [];
}

function matches(labels: Labels, matcher: Matcher): boolean {
  return matchesValue(matcher, getLabel(labels, matcher.name));
}

// Translated catalogs, reused while the project has no new series and no instance was heard
// from anew (a dashboard's every panel and refresh asks for the same names). Large ones (a
// selector without a name over a big project) are translated each time.
const catalogs = new LruCache<string, { version: string; series: PromSeries[] }>(64);
const CATALOG_KEPT_MAX = 20_000;

/** The Prometheus series of a project that every matcher selects. */
export async function selectSeries(
  pool: Pool,
  projectId: string,
  matchers: Matcher[],
): Promise<PromSeries[]> {
  const name = matchers.find((m) => m.name === NAME && m.op === "=")?.value ?? null;
  const key = `${projectId}\u0000${name ?? ""}`;
  const version = await prometheusCatalogVersion(pool, projectId);
  let known = catalogs.get(key);
  if (known?.version !== version) {
    const rows = await prometheusCatalog(pool, projectId, name);
    known = { version, series: rows.flatMap(prometheusSeriesOf) };
    if (known.series.length <= CATALOG_KEPT_MAX) catalogs.set(key, known);
  }
  return known.series.filter((s) => matchers.every((m) => matches(s.labels, m)));
}

/** Resource attributes that are not already job and instance. */
const IDENTITY = new Set(["service.name", "service.namespace", "service.instance.id"]);
const TARGET_INFO_EVERY_MS = 60_000;

/**
 * `target_info`: one series per service instance, labelled with its resource attributes, worth 1
 * every minute while the instance was heard from (so the lookback finds it at any step).
 */
export async function targetInfo(
  pool: Pool,
  projectId: string,
  matchers: Matcher[],
  mintMs: number,
  maxtMs: number,
): Promise<SampleSeries[]> {
  if (!matchers.every((m) => m.name !== NAME || matchesValue(m, "target_info"))) return [];
  const out: SampleSeries[] = [];
  for (const target of await prometheusTargets(pool, projectId, mintMs, maxtMs)) {
    const record: Record<string, string> = { [NAME]: "target_info" };
    for (const [key, value] of Object.entries(target.resource))
      if (!IDENTITY.has(key)) record[sanitizeLabelName(key)] = labelValue(value);
    const namespace = target.resource["service.namespace"];
    record.job = jobOf(target.service, typeof namespace === "string" ? namespace : undefined);
    record.instance = target.instance;
    const labels = labelsOf(record);
    if (!matchers.every((m) => matches(labels, m))) continue;
    const from = Math.max(mintMs, Math.floor(target.first_ms));
    const to = Math.min(maxtMs, Math.floor(target.last_ms));
    const times: number[] = [];
    for (let t = from; t < to; t += TARGET_INFO_EVERY_MS) times.push(t);
    if (to >= from) times.push(to);
    if (times.length > 0)
      out.push({
        labels,
        t: Float64Array.from(times),
        v: new Float64Array(times.length).fill(1),
        stale: null,
      });
  }
  return out;
}
