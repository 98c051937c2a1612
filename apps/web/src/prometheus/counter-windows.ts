// rate() and increase() of OpenTelemetry counters and histograms over whole minutes, from the
// minute rollups instead of the points: a window [end - range, end] of minute-aligned ends holds
// the minutes that start in [end - range, end) whole, and of the minute starting at `end` only
// a point at that very millisecond (its first, when it came then). Sums of increases, counts
// of points and first and last times of minutes give each window what Prometheus's
// extrapolation needs, equal to what the same functions compute from the samples.
import { type PromMinuteRow, prometheusMinutes } from "@vigil/db/telemetry";
import type { Matcher } from "./promql/ast.ts";
import { labelsKey, NAME } from "./promql/labels.ts";
import { extrapolate } from "./promql/range-functions.ts";
import { lowerBound, newStepSeries, type StepSeries, upperBound } from "./promql/values.ts";
import { type Field, type PromSeries, selectSeries } from "./store.ts";

type Pool = Parameters<typeof prometheusMinutes>[0];
const MINUTE_MS = 60_000;

/** A field's number on a row, from its value, count or le-cumulative counts. */
function fieldOf(
  field: Field,
  value: number | null,
  count: number | null,
  cumulative: Float64Array | null,
): number {
  switch (field.kind) {
    case "value":
      return value ?? Number.NaN;
    case "count":
      return count ?? Number.NaN;
    case "bucket":
      return cumulative?.[field.index] ?? Number.NaN;
    case "sum":
      return Number.NaN;
  }
}

/** Counts summed bucket by bucket up to each (the `le` series' values). */
function cumulativeOf(counts: number[] | null): Float64Array | null {
  if (!counts) return null;
  const sums = new Float64Array(counts.length);
  let total = 0;
  counts.forEach((c, i) => {
    total += c;
    sums[i] = total;
  });
  return sums;
}

/**
 * rate() or increase() of the Prometheus series `group` reads of one stored series, from its
 * rows in time order: the windows' sample counts and times are the stored series', computed
 * once; each series adds its own increases.
 */
function windowsOf(
  group: PromSeries[],
  rows: PromMinuteRow[],
  window: { rangeMs: number; ends: Float64Array; isRate: boolean },
): StepSeries[] {
  const k = rows.length;
  const fields = group.length;
  const t = new Float64Array(k);
  // Prefix sums over rows [0, i) of points, and per field of increases; each row's first increase.
  const points = new Float64Array(k + 1);
  const sums = new Float64Array((k + 1) * fields);
  const firstInc = new Float64Array(k * fields);
  for (let i = 0; i < k; i++) {
    const row = rows[i] as PromMinuteRow;
    t[i] = row.t;
    points[i + 1] = (points[i] as number) + row.points;
    const counts = cumulativeOf(row.counts);
    const firstCounts = cumulativeOf(row.first_counts);
    group.forEach((s, f) => {
      sums[(i + 1) * fields + f] =
        (sums[i * fields + f] as number) + fieldOf(s.field, row.value, row.count, counts);
      firstInc[i * fields + f] = fieldOf(s.field, row.first_value, row.first_count, firstCounts);
    });
  }
  const { rangeMs, ends, isRate } = window;
  const out = group.map((s) => newStepSeries(s.labels, ends.length));
  const present = new Uint8Array(fields);
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
    const firstT = (rows[lo] as PromMinuteRow).first_t;
    const lastT = head >= 0 ? end : (rows[hi - 1] as PromMinuteRow).last_t;
    for (let f = 0; f < fields; f++) {
      const increase =
        (sums[hi * fields + f] as number) -
        (sums[lo * fields + f] as number) -
        (firstInc[lo * fields + f] as number) +
        (head >= 0 ? (firstInc[head * fields + f] as number) : 0);
      // A running total has no zero to clamp at (see SampleSeries.running).
      const stats = { n, firstT, lastT, first: Number.POSITIVE_INFINITY, increase };
      const series = out[f] as StepSeries;
      series.values[i] = extrapolate(stats, { start: end - rangeMs, end, rangeMs }, true, isRate);
      series.present[i] = 1;
      present[f] = 1;
    }
  }
  return out.filter((_, f) => present[f]);
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
  // Two stored series read as one Prometheus series interleave their samples: read those. (Two
  // stored series share a Prometheus series only if they share their labels but name and le.)
  const groups = new Map<string, PromSeries[]>();
  for (const s of series) {
    const group = groups.get(s.seriesId);
    if (group) group.push(s);
    else groups.set(s.seriesId, [s]);
  }
  const firsts = [...groups.values()].map((group) =>
    labelsKey((group[0] as PromSeries).labels.filter(([name]) => name !== NAME && name !== "le")),
  );
  if (new Set(firsts).size !== firsts.length) return null;
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
  for (const [seriesId, group] of groups) {
    const own = bySeries.get(seriesId);
    if (own) out.push(...windowsOf(group, own, window));
  }
  return out;
}
