// rate() and increase() of OpenTelemetry counters and histograms over whole minutes, from the
// minute rollups instead of the points: a window [end - range, end] of minute-aligned ends holds
// the minutes that start in [end - range, end) whole, and of the minute starting at `end` only
// a point at that very millisecond (its first, when it came then). Sums of increases, counts
// of points and first and last times of minutes give each window what Prometheus's
// extrapolation needs, equal to what the same functions compute from the samples.
import { type PromMinuteRow, prometheusFirstPoints, prometheusMinutes } from "@vigil/db/telemetry";
import type { Matcher } from "./promql/ast.ts";
import { labelsKey } from "./promql/labels.ts";
import { type CounterWindows, lowerBound, upperBound } from "./promql/values.ts";
import { type Field, type PromSeries, readField, selectSeries } from "./store.ts";

type Pool = Parameters<typeof prometheusMinutes>[0];
const MINUTE_MS = 60_000;

/** A field's number on a minute row: the increases' sum (`sums`) or the first point's. */
function fieldOf(field: Field, row: PromMinuteRow, first: boolean): number {
  const point = first
    ? { value: row.first_value, count: row.first_count, counts: row.first_counts }
    : { value: row.value, count: row.count, counts: row.counts };
  const value = readField(field, { series_id: "", t: 0, sum: null, quantiles: null, ...point });
  return typeof value === "number" ? value : Number.NaN;
}

/** The windows of one Prometheus series, from its stored series' rows in time order. */
function windowsOf(
  s: PromSeries,
  rows: PromMinuteRow[],
  origin: number | undefined,
  rangeMs: number,
  ends: Float64Array,
): CounterWindows {
  const k = rows.length;
  const t = new Float64Array(k);
  const firstInc = new Float64Array(k);
  // Prefix sums over rows [0, i) of points and of increases.
  const points = new Float64Array(k + 1);
  const sums = new Float64Array(k + 1);
  for (let i = 0; i < k; i++) {
    const row = rows[i] as PromMinuteRow;
    t[i] = row.t;
    firstInc[i] = fieldOf(s.field, row, true);
    points[i + 1] = (points[i] as number) + row.points;
    sums[i + 1] = (sums[i] as number) + fieldOf(s.field, row, false);
  }
  // The running total's first value: the first point's stored value, or its increase.
  const base = (origin ?? (firstInc[0] as number)) - (firstInc[0] as number);
  const steps = ends.length;
  const out: CounterWindows = {
    labels: s.labels,
    n: new Float64Array(steps),
    firstT: new Float64Array(steps),
    lastT: new Float64Array(steps),
    first: new Float64Array(steps),
    increase: new Float64Array(steps),
  };
  for (let i = 0; i < steps; i++) {
    const end = ends[i] as number;
    const lo = lowerBound(t, end - rangeMs);
    let hi = upperBound(t, end, lo);
    let head = -1;
    const last = rows[hi - 1];
    if (hi > lo && last?.minute && last.t === end) {
      hi--;
      if (last.first_t === end) head = hi;
    }
    const n = (points[hi] as number) - (points[lo] as number) + (head >= 0 ? 1 : 0);
    if (n < 2) continue;
    out.n[i] = n;
    out.firstT[i] = (rows[lo] as PromMinuteRow).first_t;
    out.lastT[i] = head >= 0 ? end : (rows[hi - 1] as PromMinuteRow).last_t;
    out.first[i] = base + (sums[lo] as number) + (firstInc[lo] as number);
    out.increase[i] =
      (sums[hi] as number) -
      (sums[lo] as number) -
      (firstInc[lo] as number) +
      (head >= 0 ? (firstInc[head] as number) : 0);
  }
  return out;
}

/**
 * Counter windows of the series `matchers` select, for windows of `rangeMs` ending at `ends`
 * (ms); null when they cannot come from minutes (unaligned, a gauge or a remote-written series,
 * `_sum`, whose increases may be negative, or minutes rolled up before rollups kept first
 * points), and the caller reads samples instead.
 */
export async function counterWindows(
  pool: Pool,
  projectId: string,
  matchers: Matcher[],
  rangeMs: number,
  ends: Float64Array,
): Promise<CounterWindows[] | null> {
  if (rangeMs <= 0 || rangeMs % MINUTE_MS !== 0 || ends.length === 0) return null;
  if (ends.some((end) => end % MINUTE_MS !== 0)) return null;
  const series = await selectSeries(pool, projectId, matchers);
  if (series.some((s) => s.read !== "running" || s.field.kind === "sum")) return null;
  // Two stored series read as one Prometheus series interleave their samples: read those.
  if (new Set(series.map((s) => labelsKey(s.labels))).size !== series.length) return null;
  const ids = [...new Set(series.map((s) => s.seriesId))];
  const mint = (ends[0] as number) - rangeMs;
  const maxt = ends[ends.length - 1] as number;
  const cumulative = [...new Set(series.filter((s) => s.cumulative).map((s) => s.seriesId))];
  const [rows, origins] = await Promise.all([
    prometheusMinutes(pool, projectId, ids, mint, maxt),
    prometheusFirstPoints(pool, projectId, cumulative, mint, maxt),
  ]);
  if (!rows) return null;
  const bySeries = new Map<string, PromMinuteRow[]>();
  for (const row of rows) {
    const list = bySeries.get(row.series_id);
    if (list) list.push(row);
    else bySeries.set(row.series_id, [row]);
  }
  const originOf = new Map(origins.map((point) => [point.series_id, point]));
  const out: CounterWindows[] = [];
  for (const s of series) {
    const own = bySeries.get(s.seriesId);
    if (!own) continue;
    const point = originOf.get(s.seriesId);
    const origin =
      point && point.t === own[0]?.first_t ? (readField(s.field, point) ?? undefined) : undefined;
    out.push(windowsOf(s, own, origin ?? undefined, rangeMs, ends));
  }
  return out;
}
