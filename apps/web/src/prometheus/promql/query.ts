// Instant and range queries: parse, load every selector's samples through a Querier, evaluate.
import { type Expr, type Matcher, type MatrixSelector, PromQLError } from "./ast.ts";
import { Evaluator, type Loaded } from "./engine.ts";
import { compareLabels, type Labels, labelsRecord } from "./labels.ts";
import { parsePromQL } from "./parse.ts";
import { counterCalls, selectorSpans } from "./selection.ts";
import { typeName, typeOf } from "./value-types.ts";
import type { Grid, SampleSeries, StepSeries, Value } from "./values.ts";

/** Where samples come from: every series matching all matchers, with samples in [mint, maxt]. */
export type Querier = {
  select(matchers: Matcher[], mintMs: number, maxtMs: number): Promise<SampleSeries[]>;
  /**
   * rate() (or increase()) over windows of `rangeMs` ending at `ends`, of every series the
   * matchers select (names kept), if the store can give them without the samples (null: read
   * samples). Present where a window holds two samples or more.
   */
  counterWindows?(
    matchers: Matcher[],
    window: { rangeMs: number; ends: Float64Array; isRate: boolean },
  ): Promise<StepSeries[] | null>;
};

/** Prometheus refuses range queries of more points per series than this. */
export const MAX_POINTS_PER_SERIES = 11_000;
/** Samples one query may load (Prometheus's --query.max-samples is 50 M on bigger machines). */
export const MAX_SAMPLES = 10_000_000;

export type Point = [number, number];
export type QueryResult =
  | { resultType: "matrix"; result: { metric: Record<string, string>; values: Point[] }[] }
  | { resultType: "vector"; result: { metric: Record<string, string>; value: Point }[] }
  | { resultType: "scalar"; result: Point }
  | { resultType: "string"; result: [number, string] };

const tooMany = () =>
  new PromQLError(
    "execution",
    `query processing would load too many samples into memory in query execution (more than ${MAX_SAMPLES}); narrow the selectors or the time range`,
  );

async function load(
  querier: Querier,
  expr: Expr,
  grid: Grid,
  bounds: { start: number; end: number },
): Promise<Loaded> {
  const loaded: Loaded = { samples: new Map(), windows: new Map() };
  let samples = 0;
  // rate() and increase() the store can answer from windows need none of their samples.
  const windowed = new Set<Expr>();
  if (querier.counterWindows) {
    const ask = querier.counterWindows.bind(querier);
    await Promise.all(
      counterCalls(expr).map(async (call) => {
        const matrix = call.args[0] as MatrixSelector;
        const ends = grid.times.map((t) => t - matrix.vector.offsetMs);
        const windows = await ask(matrix.vector.matchers, {
          rangeMs: matrix.rangeMs,
          ends,
          isRate: call.func === "rate",
        });
        if (!windows) return;
        // Every step of every series is held at once: a step's value (9 bytes) weighs about
        // half a loaded sample (16), which is what the limit bounds.
        samples += Math.ceil((windows.length * ends.length) / 2);
        if (samples > MAX_SAMPLES) throw tooMany();
        loaded.windows.set(call, windows);
        windowed.add(matrix);
      }),
    );
  }
  const spans = selectorSpans(
    expr,
    grid.times[0] as number,
    grid.times[grid.times.length - 1] as number,
    bounds,
    new Map(),
    windowed,
  );
  await Promise.all(
    [...spans].map(async ([vs, span]) => {
      const series = await querier.select(vs.matchers, span.mint, span.maxt);
      for (const s of series) samples += s.t.length;
      if (samples > MAX_SAMPLES) throw tooMany();
      loaded.samples.set(vs, series);
    }),
  );
  return loaded;
}

function gridOf(start: number, end: number, step: number): Grid {
  const count = Math.floor((end - start) / step) + 1;
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = start + i * step;
  return { times, stepMs: step };
}

const seconds = (ms: number) => ms / 1000;

function sortForInstant(expr: Expr, series: { labels: Labels; value: number }[]) {
  let top = expr;
  while (top.type === "paren") top = top.expr;
  if (top.type === "call" && (top.func === "sort" || top.func === "sort_desc")) {
    const desc = top.func === "sort_desc";
    // NaN sorts last either way, as Prometheus's sort does.
    series.sort((a, b) => {
      if (Number.isNaN(a.value)) return Number.isNaN(b.value) ? 0 : 1;
      if (Number.isNaN(b.value)) return -1;
      return desc ? b.value - a.value : a.value - b.value;
    });
  }
}

/** Evaluates `text` at one time (ms). */
export async function instantQuery(
  querier: Querier,
  text: string,
  timeMs: number,
): Promise<QueryResult> {
  const expr = parsePromQL(text);
  const grid = gridOf(timeMs, timeMs, 1);
  const bounds = { start: timeMs, end: timeMs };
  const loaded = await load(querier, expr, grid, bounds);
  const value = new Evaluator(loaded, bounds).eval(expr, grid);
  const t = seconds(timeMs);
  switch (value.kind) {
    case "scalar":
      return { resultType: "scalar", result: [t, value.values[0] as number] };
    case "string":
      return { resultType: "string", result: [t, value.value] };
    case "range":
      return {
        resultType: "matrix",
        result: value.series
          .map((s) => {
            const end = value.end(0);
            const values: Point[] = [];
            for (let i = 0; i < s.t.length; i++) {
              const at = s.t[i] as number;
              if (at >= end - value.rangeMs && at <= end)
                values.push([seconds(at), s.v[i] as number]);
            }
            return { labels: s.labels, values };
          })
          .filter((s) => s.values.length > 0)
          .sort((a, b) => compareLabels(a.labels, b.labels))
          .map((s) => ({ metric: labelsRecord(s.labels), values: s.values })),
      };
    case "vector": {
      const present = value.series
        .filter((s) => s.present[0])
        .map((s) => ({ labels: s.labels, value: s.values[0] as number }));
      sortForInstant(expr, present);
      return {
        resultType: "vector",
        result: present.map((s) => ({ metric: labelsRecord(s.labels), value: [t, s.value] })),
      };
    }
  }
}

/** Evaluates `text` at every step from start to end (ms); the result is always a matrix. */
export async function rangeQuery(
  querier: Querier,
  text: string,
  start: number,
  end: number,
  step: number,
): Promise<QueryResult> {
  const expr = parsePromQL(text);
  const type = typeOf(expr);
  if (type !== "scalar" && type !== "vector")
    throw new PromQLError(
      "bad_data",
      `invalid expression type "${typeName(type)}" for range query, must be Scalar or instant Vector`,
    );
  const grid = gridOf(start, end, step);
  const bounds = { start, end };
  const loaded = await load(querier, expr, grid, bounds);
  const value: Value = new Evaluator(loaded, bounds).eval(expr, grid);
  const series: StepSeries[] =
    value.kind === "scalar"
      ? [{ labels: [], values: value.values, present: new Uint8Array(grid.times.length).fill(1) }]
      : value.kind === "vector"
        ? value.series
        : [];
  return {
    resultType: "matrix",
    result: series
      .map((s) => {
        const values: Point[] = [];
        for (let i = 0; i < grid.times.length; i++)
          if (s.present[i]) values.push([seconds(grid.times[i] as number), s.values[i] as number]);
        return { labels: s.labels, values };
      })
      .filter((s) => s.values.length > 0)
      .sort((a, b) => compareLabels(a.labels, b.labels))
      .map((s) => ({ metric: labelsRecord(s.labels), values: s.values })),
  };
}
