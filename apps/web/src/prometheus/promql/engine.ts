// Evaluates a PromQL syntax tree over a grid of times, once every selector's samples are loaded:
// a node's value is computed for all steps at once (series by series), as Prometheus's range
// evaluation does, so an instant query is the one-step case of a range query.
import { aggregate } from "./aggregate.ts";
import { type Expr, PromQLError, type Subquery, type VectorSelector } from "./ast.ts";
import { binary } from "./binary.ts";
import {
  absentResult,
  elementwise,
  histogramQuantile,
  isElementwise,
  labelJoin,
  labelReplace,
} from "./functions.ts";
import { dropName } from "./labels.ts";
import { KEEPS_NAME, RANGE_FUNCTIONS, type Window } from "./range-functions.ts";
import { atTime, LOOKBACK_MS, type QueryBounds, subqueryGrid } from "./selection.ts";
import {
  type Grid,
  lowerBound,
  mergeSameLabels,
  newStepSeries,
  type RangeValue,
  type SampleSeries,
  type ScalarValue,
  type StepSeries,
  upperBound,
  type Value,
  type VectorValue,
} from "./values.ts";
/**
 * The samples loaded for each selector of the tree (stale markers included), and the windows
 * the store gave for rate() and increase() calls instead of their samples.
 */
export type Loaded = {
  samples: Map<VectorSelector, SampleSeries[]>;
  windows: Map<Expr, StepSeries[]>;
};

/** A range vector's samples: stale markers dropped (they only end an instant selection). */
function withoutStale(series: SampleSeries[]): SampleSeries[] {
  return series.map((s) => {
    if (!s.stale) return s;
    const keep: number[] = [];
    for (let i = 0; i < s.t.length; i++) if (!s.stale[i]) keep.push(i);
    return {
      labels: s.labels,
      t: Float64Array.from(keep, (i) => s.t[i] as number),
      v: Float64Array.from(keep, (i) => s.v[i] as number),
      stale: null,
      running: s.running,
    };
  });
}

export class Evaluator {
  private readonly loaded: Loaded;
  private readonly bounds: QueryBounds;
  constructor(loaded: Loaded, bounds: QueryBounds) {
    this.loaded = loaded;
    this.bounds = bounds;
  }

  eval(expr: Expr, grid: Grid): Value {
    const n = grid.times.length;
    switch (expr.type) {
      case "number":
        return { kind: "scalar", values: new Float64Array(n).fill(expr.value) };
      case "string":
        return { kind: "string", value: expr.value };
      case "paren":
        return this.eval(expr.expr, grid);
      case "unary": {
        const value = this.eval(expr.expr, grid);
        if (value.kind === "scalar") return { kind: "scalar", values: value.values.map((v) => -v) };
        const vector = value as VectorValue;
        return {
          kind: "vector",
          series: mergeSameLabels(
            vector.series.map((s) => ({
              labels: dropName(s.labels),
              values: s.values.map((v) => -v),
              present: s.present,
            })),
            n,
          ),
        };
      }
      case "vector":
        return this.instantSelector(expr, grid);
      case "matrix":
        return this.rangeSelector(expr.vector, expr.rangeMs, grid);
      case "subquery":
        return this.subquery(expr, grid);
      case "binary":
        return binary(
          expr.op,
          this.eval(expr.lhs, grid),
          this.eval(expr.rhs, grid),
          expr.bool,
          expr.matching,
          n,
        );
      case "aggregate": {
        const input = this.eval(expr.expr, grid) as VectorValue;
        const param = expr.param ? this.eval(expr.param, grid) : null;
        const result = aggregate(
          input,
          {
            op: expr.op,
            without: expr.without,
            grouping: expr.grouping,
            param:
              param === null
                ? null
                : param.kind === "string"
                  ? param.value
                  : (param as ScalarValue).values,
          },
          n,
        );
        return result;
      }
      case "call": {
        const windows = this.loaded.windows.get(expr);
        if (windows) return fromWindows(windows, grid.times.length);
        return this.call(expr.func, expr.args, grid);
      }
    }
  }

  private instantSelector(vs: VectorSelector, grid: Grid): VectorValue {
    const samples = this.loaded.samples.get(vs) ?? [];
    const n = grid.times.length;
    const at = atTime(vs.at, this.bounds);
    const out: StepSeries[] = [];
    for (const s of samples) {
      const result: StepSeries = {
        ...newStepSeries(s.labels, n),
        sampleTimes: new Float64Array(n),
      };
      let any = false;
      for (let i = 0; i < n; i++) {
        const ref = (at ?? (grid.times[i] as number)) - vs.offsetMs;
        const j = upperBound(s.t, ref) - 1;
        if (j < 0 || (s.t[j] as number) < ref - LOOKBACK_MS || s.stale?.[j]) continue;
        result.present[i] = 1;
        result.values[i] = s.v[j] as number;
        (result.sampleTimes as Float64Array)[i] = s.t[j] as number;
        any = true;
      }
      if (any) out.push(result);
    }
    return { kind: "vector", series: out };
  }

  private rangeSelector(vs: VectorSelector, rangeMs: number, grid: Grid): RangeValue {
    const at = atTime(vs.at, this.bounds);
    return {
      kind: "range",
      series: withoutStale(this.loaded.samples.get(vs) ?? []),
      rangeMs,
      end: (i) => (at ?? (grid.times[i] as number)) - vs.offsetMs,
    };
  }

  private subquery(sq: Subquery, grid: Grid): RangeValue {
    const n = grid.times.length;
    const inner = subqueryGrid(sq, grid.times[0] ?? 0, grid.times[n - 1] ?? 0, this.bounds);
    const value = this.eval(sq.expr, inner) as VectorValue;
    const at = atTime(sq.at, this.bounds);
    const series: SampleSeries[] = value.series.map((s) => {
      const t: number[] = [];
      const v: number[] = [];
      for (let i = 0; i < inner.times.length; i++) {
        if (!s.present[i]) continue;
        t.push(inner.times[i] as number);
        v.push(s.values[i] as number);
      }
      return { labels: s.labels, t: Float64Array.from(t), v: Float64Array.from(v), stale: null };
    });
    return {
      kind: "range",
      series: series.filter((s) => s.t.length > 0),
      rangeMs: sq.rangeMs,
      end: (i) => (at ?? (grid.times[i] as number)) - sq.offsetMs,
    };
  }

  private call(func: string, args: Expr[], grid: Grid): Value {
    const n = grid.times.length;
    const evalArg = (i: number) => this.eval(args[i] as Expr, grid);
    const rangeFn = RANGE_FUNCTIONS[func];
    if (rangeFn) {
      const rangeIndex = func === "quantile_over_time" ? 1 : 0;
      const range = evalArg(rangeIndex) as RangeValue;
      const scalarIndex = func === "quantile_over_time" ? 0 : func === "predict_linear" ? 1 : -1;
      const scalar = scalarIndex >= 0 ? (evalArg(scalarIndex) as ScalarValue).values : null;
      return this.overTime(func, rangeFn, range, scalar, grid);
    }
    if (func === "absent_over_time") {
      const range = evalArg(0) as RangeValue;
      const present = new Uint8Array(n);
      for (const s of range.series)
        for (let i = 0; i < n; i++) {
          if (present[i]) continue;
          const end = range.end(i);
          if (upperBound(s.t, end) > lowerBound(s.t, end - range.rangeMs)) present[i] = 1;
        }
      return absentResult(present, args[0] as Expr, n);
    }
    if (func === "absent") {
      const input = evalArg(0) as VectorValue;
      const present = new Uint8Array(n);
      for (const s of input.series) for (let i = 0; i < n; i++) if (s.present[i]) present[i] = 1;
      return absentResult(present, args[0] as Expr, n);
    }
    if (isElementwise(func) && args.length > 0) {
      const input = evalArg(0) as VectorValue;
      const scalars = args.slice(1).map((_, i) => evalArg(i + 1) as ScalarValue);
      return {
        kind: "vector",
        series: mergeSameLabels(elementwise(func, input, scalars, n).series, n),
      };
    }
    switch (func) {
      case "day_of_month":
      case "day_of_week":
      case "day_of_year":
      case "days_in_month":
      case "hour":
      case "minute":
      case "month":
      case "year": {
        // Without an argument: of the evaluation time, vector(time()).
        const input = args.length > 0 ? (evalArg(0) as VectorValue) : timeVector(grid);
        return {
          kind: "vector",
          series: mergeSameLabels(elementwise(func, input, [], n).series, n),
        };
      }
      case "time":
        return { kind: "scalar", values: grid.times.map((t) => t / 1000) };
      case "pi":
        return { kind: "scalar", values: new Float64Array(n).fill(Math.PI) };
      case "vector": {
        const scalar = evalArg(0) as ScalarValue;
        return {
          kind: "vector",
          series: [{ labels: [], values: scalar.values, present: new Uint8Array(n).fill(1) }],
        };
      }
      case "scalar": {
        const input = evalArg(0) as VectorValue;
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          let count = 0;
          for (const s of input.series)
            if (s.present[i]) {
              count++;
              values[i] = s.values[i] as number;
            }
          if (count !== 1) values[i] = Number.NaN;
        }
        return { kind: "scalar", values };
      }
      case "timestamp": {
        const input = evalArg(0) as VectorValue;
        const series = input.series.map((s) => ({
          labels: dropName(s.labels),
          present: s.present,
          values: (s.sampleTimes ?? grid.times).map((t) => t / 1000),
        }));
        return { kind: "vector", series: mergeSameLabels(series, n) };
      }
      case "sort":
      case "sort_desc":
        // Ordering is applied to an instant query's result (query.ts); values are unchanged.
        return evalArg(0);
      case "histogram_quantile": {
        const result = histogramQuantile(evalArg(0) as ScalarValue, evalArg(1) as VectorValue, n);
        return { kind: "vector", series: mergeSameLabels(result.series, n) };
      }
      case "label_replace": {
        const [dst, replacement, src, regex] = [1, 2, 3, 4].map((i) => stringArg(evalArg(i)));
        const result = labelReplace(
          evalArg(0) as VectorValue,
          dst as string,
          replacement as string,
          src as string,
          regex as string,
        );
        return { kind: "vector", series: mergeSameLabels(result.series, n) };
      }
      case "label_join": {
        const strings = args.slice(1).map((_, i) => stringArg(evalArg(i + 1)));
        const [dst, separator, ...sources] = strings;
        const result = labelJoin(
          evalArg(0) as VectorValue,
          dst as string,
          separator as string,
          sources,
        );
        return { kind: "vector", series: mergeSameLabels(result.series, n) };
      }
      default:
        throw new PromQLError("bad_data", `function "${func}" is not supported by Vigil`);
    }
  }

  private overTime(
    func: string,
    fn: (w: Window, arg: number) => number | undefined,
    range: RangeValue,
    scalar: Float64Array | null,
    grid: Grid,
  ): VectorValue {
    const n = grid.times.length;
    const keepName = KEEPS_NAME.has(func);
    const out: StepSeries[] = [];
    const w: Window = {
      t: new Float64Array(0),
      v: new Float64Array(0),
      lo: 0,
      hi: 0,
      start: 0,
      end: 0,
      rangeMs: range.rangeMs,
      at: 0,
      running: false,
    };
    for (const s of range.series) {
      w.running = s.running === true;
      const result = newStepSeries(keepName ? s.labels : dropName(s.labels), n);
      let any = false;
      w.t = s.t;
      w.v = s.v;
      for (let i = 0; i < n; i++) {
        w.end = range.end(i);
        w.start = w.end - range.rangeMs;
        w.at = w.end;
        w.lo = lowerBound(s.t, w.start);
        w.hi = upperBound(s.t, w.end, w.lo);
        if (w.hi <= w.lo) continue;
        const value = fn(w, scalar ? (scalar[i] as number) : 0);
        if (value === undefined) continue;
        result.present[i] = 1;
        result.values[i] = value;
        any = true;
      }
      if (any) out.push(result);
    }
    return { kind: "vector", series: mergeSameLabels(out, n) };
  }
}

function stringArg(value: Value): string {
  if (value.kind !== "string") throw new PromQLError("bad_data", "expected a string argument");
  return value.value;
}

function timeVector(grid: Grid): VectorValue {
  const n = grid.times.length;
  return {
    kind: "vector",
    series: [
      { labels: [], values: grid.times.map((t) => t / 1000), present: new Uint8Array(n).fill(1) },
    ],
  };
}

/** rate() or increase() as the store gave it (see Querier.counterWindows). */
function fromWindows(windows: StepSeries[], n: number): VectorValue {
  return {
    kind: "vector",
    series: mergeSameLabels(
      windows.map((w) => ({ ...w, labels: dropName(w.labels) })),
      n,
    ),
  };
}
