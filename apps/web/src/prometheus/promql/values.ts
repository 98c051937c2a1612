import { PromQLError } from "./ast.ts";
import { type Labels, labelsKey } from "./labels.ts";

/** A stored series as the engine reads it: sample times (ms) and values, in time order. */
export type SampleSeries = {
  labels: Labels;
  t: Float64Array;
  v: Float64Array;
  /** 1 where the sample is a staleness marker (the series ended there); null when none is. */
  stale: Uint8Array | null;
  /**
   * A running total Vigil made of an OpenTelemetry counter's increases (querier.ts): its level
   * depends on where the read began, so rate() and increase() do not clamp their extrapolation
   * at the zero that level suggests (an OpenTelemetry counter's start is not its running total's).
   */
  running?: boolean;
};

/** The evaluation times of a query or subquery, in milliseconds. */
export type Grid = { times: Float64Array; stepMs: number };

/** A series evaluated at every time of a grid; `present[i]` is 0 where it has no value. */
export type StepSeries = {
  labels: Labels;
  values: Float64Array;
  present: Uint8Array;
  /** For a selector's series: the time of the sample chosen at each step (for timestamp()). */
  sampleTimes?: Float64Array;
};

export type VectorValue = { kind: "vector"; series: StepSeries[] };
export type ScalarValue = { kind: "scalar"; values: Float64Array };
export type StringValue = { kind: "string"; value: string };
/** A range vector: each grid time i looks at samples in [end(i) - rangeMs, end(i)]. */
export type RangeValue = {
  kind: "range";
  series: SampleSeries[];
  rangeMs: number;
  end(i: number): number;
};

export type Value = VectorValue | ScalarValue | StringValue | RangeValue;

export function newStepSeries(labels: Labels, n: number): StepSeries {
  return { labels, values: new Float64Array(n), present: new Uint8Array(n) };
}

/** The first index whose time is ≥ t (binary search over sorted times). */
export function lowerBound(times: Float64Array, t: number, from = 0): number {
  let lo = from;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The first index whose time is > t. */
export function upperBound(times: Float64Array, t: number, from = 0): number {
  let lo = from;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((times[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Series whose labels became equal (their names dropped, say) merge into one, as long as no
 * two have a value at the same step — which Prometheus refuses, and so does this.
 */
export function mergeSameLabels(series: StepSeries[], n: number): StepSeries[] {
  const byKey = new Map<string, StepSeries>();
  for (const s of series) {
    const key = labelsKey(s.labels);
    const known = byKey.get(key);
    if (!known) {
      byKey.set(key, s);
      continue;
    }
    const merged = known.sampleTimes ? { ...known, sampleTimes: undefined } : known;
    for (let i = 0; i < n; i++) {
      if (!s.present[i]) continue;
      if (merged.present[i])
        throw new PromQLError("execution", "vector cannot contain metrics with the same labelset");
      merged.present[i] = 1;
      merged.values[i] = s.values[i] as number;
    }
    byKey.set(key, merged);
  }
  return [...byKey.values()];
}
