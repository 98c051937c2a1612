// Functions over a range vector, one window of one series at a time, as Prometheus 2.42 computes
// them (its extrapolation for rate/increase/delta, its handling of NaN and Inf).
import { quantile } from "./quantile.ts";

/** Samples [lo, hi) of a series, inside the window [start, end] (ms) at evaluation time `at`. */
export type Window = {
  t: Float64Array;
  v: Float64Array;
  lo: number;
  hi: number;
  start: number;
  end: number;
  rangeMs: number;
  at: number;
  /** The series is a running total of increases (see SampleSeries.running). */
  running: boolean;
};

/** A window's value, or undefined for none; `arg` is the function's scalar argument at the step. */
export type RangeFunction = (w: Window, arg: number) => number | undefined;

/** Kahan–Babuška summation step, as Prometheus's kahanSumInc. */
function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** A window of a series as the extrapolation sees it. */
export type WindowStats = {
  n: number;
  firstT: number;
  lastT: number;
  first: number;
  increase: number;
};

/**
 * Prometheus's extrapolated rate, increase or delta of a window's `increase` (last minus first,
 * resets accounted for) from its first and last sample to the window's edges.
 */
export function extrapolate(
  s: WindowStats,
  w: { start: number; end: number; rangeMs: number },
  isCounter: boolean,
  isRate: boolean,
): number {
  const result = s.increase;
  let durationToStart = (s.firstT - w.start) / 1000;
  const durationToEnd = (w.end - s.lastT) / 1000;
  const sampledInterval = (s.lastT - s.firstT) / 1000;
  const averageBetween = sampledInterval / (s.n - 1);
  if (isCounter && result > 0 && s.first >= 0) {
    const durationToZero = sampledInterval * (s.first / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageBetween * 1.1;
  let extrapolateTo = sampledInterval;
  extrapolateTo += durationToStart < threshold ? durationToStart : averageBetween / 2;
  extrapolateTo += durationToEnd < threshold ? durationToEnd : averageBetween / 2;
  let factor = extrapolateTo / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const n = w.hi - w.lo;
  if (n < 2) return undefined;
  const first = w.v[w.lo] as number;
  const last = w.v[w.hi - 1] as number;
  let increase = last - first;
  if (isCounter) {
    let prev = first;
    for (let i = w.lo + 1; i < w.hi; i++) {
      const cur = w.v[i] as number;
      if (cur < prev) increase += prev;
      prev = cur;
    }
  }
  // A running total's level says nothing of where its counter started: no zero to clamp at.
  const level = w.running ? Number.POSITIVE_INFINITY : first;
  const stats = {
    n,
    firstT: w.t[w.lo] as number,
    lastT: w.t[w.hi - 1] as number,
    first: level,
    increase,
  };
  return extrapolate(stats, w, isCounter, isRate);
}

function instantDelta(w: Window, isRate: boolean): number | undefined {
  if (w.hi - w.lo < 2) return undefined;
  const last = w.v[w.hi - 1] as number;
  const prev = w.v[w.hi - 2] as number;
  const result = isRate && last < prev ? last : last - prev;
  if (!isRate) return result;
  const interval = (w.t[w.hi - 1] as number) - (w.t[w.hi - 2] as number);
  if (interval === 0) return undefined;
  return result / (interval / 1000);
}

/** Least-squares slope and intercept of the window's values against time (seconds from `origin`). */
function linearRegression(w: Window, origin: number): [number, number] {
  let n = 0;
  let sumX = 0;
  let cX = 0;
  let sumY = 0;
  let cY = 0;
  let sumXY = 0;
  let cXY = 0;
  let sumX2 = 0;
  let cX2 = 0;
  const initY = w.v[w.lo] as number;
  let constY = true;
  for (let i = w.lo; i < w.hi; i++) {
    const y = w.v[i] as number;
    if (constY && i > w.lo && y !== initY) constY = false;
    n += 1;
    const x = ((w.t[i] as number) - origin) / 1000;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) return Number.isFinite(initY) ? [0, initY] : [Number.NaN, Number.NaN];
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

function avgOverTime(w: Window): number {
  let mean = 0;
  let c = 0;
  let count = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.v[i] as number;
    count++;
    if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    [mean, c] = kahanInc(v / count - mean / count, mean, c);
  }
  return !Number.isFinite(mean) && !Number.isNaN(mean) ? mean : mean + c;
}

function variance(w: Window): number {
  let count = 0;
  let mean = 0;
  let cMean = 0;
  let aux = 0;
  let cAux = 0;
  for (let i = w.lo; i < w.hi; i++) {
    const v = w.v[i] as number;
    count++;
    const delta = v - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (v - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

function values(w: Window): number[] {
  return Array.from(w.v.subarray(w.lo, w.hi));
}

/** The functions over range vectors; each gives nothing for an empty window. */
export const RANGE_FUNCTIONS: Record<string, RangeFunction> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantDelta(w, true),
  idelta: (w) => instantDelta(w, false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.t[w.lo] as number)[0]),
  predict_linear: (w, duration) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w, w.at);
    return slope * duration + intercept;
  },
  avg_over_time: avgOverTime,
  sum_over_time: (w) => {
    let sum = 0;
    let c = 0;
    for (let i = w.lo; i < w.hi; i++) [sum, c] = kahanInc(w.v[i] as number, sum, c);
    return Number.isFinite(sum) ? sum + c : sum;
  },
  count_over_time: (w) => w.hi - w.lo,
  min_over_time: (w) => {
    let min = w.v[w.lo] as number;
    for (let i = w.lo + 1; i < w.hi; i++) {
      const v = w.v[i] as number;
      if (v < min || Number.isNaN(min)) min = v;
    }
    return min;
  },
  max_over_time: (w) => {
    let max = w.v[w.lo] as number;
    for (let i = w.lo + 1; i < w.hi; i++) {
      const v = w.v[i] as number;
      if (v > max || Number.isNaN(max)) max = v;
    }
    return max;
  },
  last_over_time: (w) => w.v[w.hi - 1] as number,
  present_over_time: () => 1,
  stddev_over_time: (w) => Math.sqrt(variance(w)),
  stdvar_over_time: variance,
  quantile_over_time: (w, q) => quantile(q, values(w)),
  changes: (w) => {
    let changes = 0;
    let prev = w.v[w.lo] as number;
    for (let i = w.lo + 1; i < w.hi; i++) {
      const cur = w.v[i] as number;
      if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) changes++;
      prev = cur;
    }
    return changes;
  },
  resets: (w) => {
    let resets = 0;
    let prev = w.v[w.lo] as number;
    for (let i = w.lo + 1; i < w.hi; i++) {
      const cur = w.v[i] as number;
      if (cur < prev) resets++;
      prev = cur;
    }
    return resets;
  },
};

/** Range functions whose result keeps the series' metric name. */
export const KEEPS_NAME = new Set(["last_over_time"]);
