// Vigil's metric store as PromQL sees it: every stored series becomes one or more Prometheus
// series (a histogram: its `_bucket{le}` series with cumulative counts, `_sum` and `_count`),
// named by the OpenTelemetry specification's rules unless it arrived from Prometheus, where its
// name and labels are kept as sent.
import {
  type PromCatalogRow,
  type PromPointRow,
  prometheusCatalog,
  prometheusPoints,
  prometheusTargets,
} from "@vigil/db/telemetry";
import { jobOf, labelValue, prometheusName, sanitizeLabelName } from "@vigil/otel";
import { matchesValue } from "../lib/label-match.ts";
import type { Matcher } from "./promql/ast.ts";
import { getLabel, type Labels, labelsKey, labelsOf, NAME } from "./promql/labels.ts";
import type { Querier } from "./promql/query.ts";
import type { SampleSeries } from "./promql/values.ts";

type Pool = Parameters<typeof prometheusCatalog>[0];

/** A Prometheus series: its labels, the stored series it reads and how it reads a point. */
export type PromSeries = {
  labels: Labels;
  seriesId: string;
  /** A point's value as this series sees it; null is a staleness marker, undefined no sample. */
  read(point: PromPointRow): number | null | undefined;
  /** For /metadata: counter, gauge, histogram or summary, and the unit. */
  family: { name: string; type: string; unit: string; help: string };
};

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
  if (row.prometheus) {
    const labels = labelsOf({ ...(row.attributes as Record<string, string>), [NAME]: row.name });
    const type = row.type === SUM ? "counter" : "gauge";
    return [
      {
        labels,
        seriesId: row.id,
        read: (p) => p.value,
        family: { name: row.name, type, unit: "", help: "" },
      },
    ];
  }
  const base = otelLabels(row);
  const name = prometheusName(row);
  const help = "";
  if (row.type === GAUGE || (row.type === SUM && (row.cumulative || !row.monotonic))) {
    if (row.type === SUM && !row.cumulative) return []; // a delta sum has no running total to read
    const type = row.type === SUM && row.monotonic ? "counter" : "gauge";
    return [
      {
        labels: labelsOf({ ...base, [NAME]: name }),
        seriesId: row.id,
        read: (p) => p.value ?? undefined,
        family: { name, type, unit: row.unit, help },
      },
    ];
  }
  if (row.type === HISTOGRAM && row.cumulative) {
    const family = { name, type: "histogram", unit: row.unit, help };
    const bounds = row.bounds ?? [];
    const out: PromSeries[] = bounds.map((bound, i) => ({
      labels: labelsOf({ ...base, [NAME]: `${name}_bucket`, le: formatBound(bound) }),
      seriesId: row.id,
      read: (p) => {
        if (!p.counts) return undefined;
        let total = 0;
        for (let j = 0; j <= i; j++) total += p.counts[j] ?? 0;
        return total;
      },
      family,
    }));
    out.push(
      {
        labels: labelsOf({ ...base, [NAME]: `${name}_bucket`, le: "+Inf" }),
        seriesId: row.id,
        read: (p) => p.count ?? undefined,
        family,
      },
      {
        labels: labelsOf({ ...base, [NAME]: `${name}_count` }),
        seriesId: row.id,
        read: (p) => p.count ?? undefined,
        family,
      },
      {
        labels: labelsOf({ ...base, [NAME]: `${name}_sum` }),
        seriesId: row.id,
        read: (p) => p.sum ?? undefined,
        family,
      },
    );
    return out;
  }
  return [];
}

function matches(labels: Labels, matcher: Matcher): boolean {
  return matchesValue(matcher, getLabel(labels, matcher.name));
}

/** The Prometheus series of a project that every matcher selects. */
export async function selectSeries(
  pool: Pool,
  projectId: string,
  matchers: Matcher[],
): Promise<PromSeries[]> {
  const name = matchers.find((m) => m.name === NAME && m.op === "=")?.value ?? null;
  const rows = await prometheusCatalog(pool, projectId, name);
  return rows
    .flatMap(prometheusSeriesOf)
    .filter((s) => matchers.every((m) => matches(s.labels, m)));
}

/** Resource attributes that are not already job and instance. */
const IDENTITY = new Set(["service.name", "service.namespace", "service.instance.id"]);
const TARGET_INFO_EVERY_MS = 60_000;

/**
 * `target_info`: one series per service instance, labelled with its resource attributes, worth 1
 * every minute while the instance was heard from (so the lookback finds it at any step).
 */
async function targetInfo(
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

/** A Querier over one project's store (through `pool`, usually the read replica's). */
export function storeQuerier(pool: Pool, projectId: string): Querier {
  return {
    async select(matchers, mintMs, maxtMs) {
      const series = await selectSeries(pool, projectId, matchers);
      const ids = [...new Set(series.map((s) => s.seriesId))];
      const points = await prometheusPoints(pool, projectId, ids, mintMs, maxtMs);
      const bySeries = new Map<string, PromPointRow[]>();
      for (const point of points) {
        const list = bySeries.get(point.series_id);
        if (list) list.push(point);
        else bySeries.set(point.series_id, [point]);
      }
      // Stored series that read as one Prometheus series (one instance at two versions, say)
      // merge, in time order.
      const merged = new Map<string, { labels: Labels; samples: [number, number | null][] }>();
      for (const s of series) {
        const key = labelsKey(s.labels);
        let entry = merged.get(key);
        if (!entry) {
          entry = { labels: s.labels, samples: [] };
          merged.set(key, entry);
        }
        for (const point of bySeries.get(s.seriesId) ?? []) {
          const value = s.read(point);
          if (value !== undefined) entry.samples.push([point.t, value]);
        }
      }
      const out: SampleSeries[] = await targetInfo(pool, projectId, matchers, mintMs, maxtMs);
      for (const { labels, samples } of merged.values()) {
        if (samples.length === 0) continue;
        samples.sort((a, b) => a[0] - b[0]);
        const t = new Float64Array(samples.length);
        const v = new Float64Array(samples.length);
        let stale: Uint8Array | null = null;
        samples.forEach(([time, value], i) => {
          t[i] = time;
          if (value === null) {
            stale ??= new Uint8Array(samples.length);
            stale[i] = 1;
            v[i] = Number.NaN;
          } else v[i] = value;
        });
        out.push({ labels, t, v, stale });
      }
      return out;
    },
  };
}
