// rate() and increase() of OpenTelemetry counters and histograms over whole minutes, from the
// minute rollups instead of the points: a window [end - range, end] of minute-aligned ends holds
// the minutes that start in [end - range, end) whole, and of the minute starting at `end` only
// a point at that very millisecond (its first, when it came then). Sums of increases, counts
// of points and first and last times of minutes give each window what Prometheus's
// extrapolation needs, equal to what the same functions compute from the samples.
import { type PromMinuteRow, prometheusMinutes } from "@vigil/db/telemetry";
import type { Matcher } from "./promql/ast.ts";
import { labelsKey } from "./promql/labels.ts";
import { extrapolate } from "./promql/range-functions.ts";
import { lowerBound, newStepSeries, type StepSeries, upperBound } from "./promql/values.ts";
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

/** rate() or increase() of one Prometheus series, from its stored series' rows in time order. */
function windowsOf(
  s: PromSeries,
  rows: PromMinuteRow[],
  window: { rangeMs: number; ends: Float64Array; isRate: boolean },
): StepSeries | null {
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
  const { rangeMs, ends, isRate } = window;
  const out = newStepSeries(s.labels, ends.length);
  let any = false;
  for (let i = 0; i < ends.length; i++) {
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
    const stats = {
      n,
      firstT: (rows[lo] as PromMinuteRow).first_t,
      lastT: head >= 0 ? end : (rows[hi - 1] as PromMinuteRow).last_t,
      // A running total has no zero to clamp at (see SampleSeries.running).
      first: Number.POSITIVE_INFINITY,
      increase:
        (sums[hi] as number) -
        (sums[lo] as number) -
        (firstInc[lo] as number) +
        (head >= 0 ? (firstInc[head] as number) : 0),
    };
    out.values[i] = extrapolate(stats, { start: end - rangeMs, end, rangeMs }, true, isRate);
    out.present[i] = 1;
    any = true;
  }
  return any ? out : null;
}

/**
 * rate() (or increase()) of the series `matchers` select (their names kept) over windows of
 * `rangeMs` ending at `ends` (ms); null when they cannot come from minutes (unaligned, a gauge
 * or a remote-written series, `_sum`, whose increases may be negative, or minutes rolled up
 * before rollups kept first points), and the caller reads samples instead.
 */
export async function counterWindows(
  pool: Pool,
  projectId: string,
  matchers: Matcher[],
  window: { rangeMs: number; ends: Float64Array; isRate: boolean },
): Promise<StepSeries[] | null> {
  const { rangeMs, ends } = window;
  if (rangeMs <= 0 || rangeMs % MINUTE_MS !== 0 || ends.length === 0) return null;
  if (ends.some((end) => end % MINUTE_MS !== 0)) return null;
  const series = await selectSeries(pool, projectId, matchers);
  if (series.some((s) => s.read !== "running" || s.field.kind === "sum")) return null;
  // Two stored series read as one Prometheus series interleave their samples: read those.
  if (new Set(series.map((s) => labelsKey(s.labels))).size !== series.length) return null;
  const ids = [...new Set(series.map((s) => s.seriesId))];
  const mint = (ends[0] as number) - rangeMs;
  const maxt = ends[ends.length - 1] as number;
  const rows = await prometheusMinutes(pool, projectId, ids, mint, maxt);
  if (!rows) return null;
  const bySeries = new Map<string, PromMinuteRow[]>();
  for (const row of rows) {
    const list = bySeries.get(row.series_id);
    if (list) list.push(row);
    else bySeries.set(row.series_id, [row]);
  }
  const out: StepSeries[] = [];
  for (const s of series) {
    const own = bySeries.get(s.seriesId);
    const result = own ? windowsOf(s, own, window) : null;
    if (result) out.push(result);
  }
  return out;
}
