// The Querier PromQL evaluates over: samples of the series a selector picks (stored points, or
// running totals of increases), and counter windows from minute rollups where rate() allows.
import {
  type PromPointRow,
  prometheusFirstPoints,
  prometheusIncreases,
  prometheusPoints,
} from "@vigil/db/telemetry";
import { counterWindows } from "./counter-windows.ts";
import { type Labels, labelsKey } from "./promql/labels.ts";
import type { Querier } from "./promql/query.ts";
import type { SampleSeries } from "./promql/values.ts";
import { type PromSeries, readField, selectSeries, targetInfo } from "./store.ts";

type Pool = Parameters<typeof prometheusPoints>[0];

/** Points per stored series, in time order. */
function bySeries(points: PromPointRow[]): Map<string, PromPointRow[]> {
  const out = new Map<string, PromPointRow[]>();
  for (const point of points) {
    const list = out.get(point.series_id);
    if (list) list.push(point);
    else out.set(point.series_id, [point]);
  }
  return out;
}

const idsOf = (series: PromSeries[], pick: (s: PromSeries) => boolean) => [
  ...new Set(series.filter(pick).map((s) => s.seriesId)),
];

/** The samples of `s` from its stored series' points (or increases, for a running total). */
function samplesOf(
  s: PromSeries,
  points: PromPointRow[],
  origin: PromPointRow | undefined,
): [number, number | null][] {
  const samples: [number, number | null][] = [];
  if (s.read === "stored") {
    for (const point of points) {
      const value = readField(s.field, point);
      if (value !== undefined) samples.push([point.t, value]);
    }
    return samples;
  }
  // A running total: the first point's stored value, then every increase added.
  let total: number | null = null;
  for (const point of points) {
    const first = total === null && s.cumulative && origin?.t === point.t ? origin : point;
    const value = readField(s.field, first);
    if (value === undefined || value === null) continue;
    total = total === null ? value : total + value;
    samples.push([point.t, total]);
  }
  return samples;
}

/** A Querier over one project's store (through `pool`, usually the read replica's). */
export function storeQuerier(pool: Pool, projectId: string): Querier {
  return {
    async select(matchers, mintMs, maxtMs) {
      const series = await selectSeries(pool, projectId, matchers);
      const stored = idsOf(series, (s) => s.read === "stored");
      const running = idsOf(series, (s) => s.read === "running");
      const [points, increases, origins] = await Promise.all([
        prometheusPoints(pool, { projectId, seriesIds: stored, mintMs, maxtMs }),
        prometheusIncreases(pool, { projectId, seriesIds: running, mintMs, maxtMs }),
        prometheusFirstPoints(pool, {
          projectId,
          seriesIds: idsOf(series, (s) => s.read === "running" && s.cumulative),
          mintMs,
          maxtMs,
        }),
      ]);
      const storedPoints = bySeries(points);
      const runningPoints = bySeries(increases);
      const originOf = new Map(origins.map((point) => [point.series_id, point]));
      // Stored series that read as one Prometheus series (one instance at two versions, say)
      // merge, in time order.
      const merged = new Map<
        string,
        { labels: Labels; samples: [number, number | null][]; running: boolean }
      >();
      for (const s of series) {
        const key = labelsKey(s.labels);
        let entry = merged.get(key);
        if (!entry) {
          entry = { labels: s.labels, samples: [], running: s.read === "running" };
          merged.set(key, entry);
        }
        const own = (s.read === "stored" ? storedPoints : runningPoints).get(s.seriesId) ?? [];
        entry.samples.push(...samplesOf(s, own, originOf.get(s.seriesId)));
      }
      const out: SampleSeries[] = await targetInfo(pool, projectId, matchers, mintMs, maxtMs);
      for (const { labels, samples, running } of merged.values()) {
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
        out.push({ labels, t, v, stale, ...(running ? { running } : {}) });
      }
      return out;
    },
    counterWindows: (matchers, window) => counterWindows(pool, projectId, matchers, window),
  };
}
