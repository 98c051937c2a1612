// What each selector of a PromQL tree needs loaded before evaluation: the time span of its
// samples on a grid (lookback, ranges, offsets, `@`, subqueries' own grids), and which rate()
// and increase() calls the store may answer with windows instead of samples.
import type { Call, Expr, Subquery, VectorSelector } from "./ast.ts";
import type { Grid } from "./values.ts";

export const LOOKBACK_MS = 5 * 60_000;
/** A subquery without a step uses the global evaluation interval (Prometheus's default, 1 m). */
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;

/** The query's own start and end (for `@ start()` and `@ end()`), in ms. */
export type QueryBounds = { start: number; end: number };

/** rate() and increase() calls of a selector, outside subqueries (they evaluate on the query's grid). */
export function counterCalls(expr: Expr, out: Call[] = []): Call[] {
  switch (expr.type) {
    case "call": {
      const arg = expr.args[0];
      if (
        (expr.func === "rate" || expr.func === "increase") &&
        arg?.type === "matrix" &&
        arg.vector.at === null
      )
        out.push(expr);
      else for (const a of expr.args) counterCalls(a, out);
      break;
    }
    case "binary":
      counterCalls(expr.lhs, out);
      counterCalls(expr.rhs, out);
      break;
    case "aggregate":
      counterCalls(expr.expr, out);
      if (expr.param) counterCalls(expr.param, out);
      break;
    case "paren":
    case "unary":
      counterCalls(expr.expr, out);
      break;
  }
  return out;
}

export function atTime(at: number | "start" | "end" | null, bounds: QueryBounds): number | null {
  if (at === "start") return bounds.start;
  if (at === "end") return bounds.end;
  return at;
}

/** The grid a subquery evaluates its expression on, for the outer grid's first and last times. */
export function subqueryGrid(sq: Subquery, from: number, to: number, bounds: QueryBounds): Grid {
  const step = sq.stepMs || DEFAULT_SUBQUERY_STEP_MS;
  const at = atTime(sq.at, bounds);
  const end = (at ?? to) - sq.offsetMs;
  const rangeStart = (at ?? from) - sq.offsetMs - sq.rangeMs;
  // Steps are aligned to multiples of the step since the epoch.
  let start = Math.floor(rangeStart / step) * step;
  if (start < rangeStart) start += step;
  const count = end >= start ? Math.floor((end - start) / step) + 1 : 0;
  const times = new Float64Array(count);
  for (let i = 0; i < count; i++) times[i] = start + i * step;
  return { times, stepMs: step };
}

/** The time span of samples every selector of `expr` needs on a grid from `from` to `to`. */
export function selectorSpans(
  expr: Expr,
  from: number,
  to: number,
  bounds: QueryBounds,
  out = new Map<VectorSelector, { mint: number; maxt: number }>(),
  /** Range selectors whose samples are not needed (their windows came from the store). */
  skip: Set<Expr> = new Set(),
): Map<VectorSelector, { mint: number; maxt: number }> {
  const widen = (vs: VectorSelector, before: number) => {
    const at = atTime(vs.at, bounds);
    const mint = (at ?? from) - vs.offsetMs - before;
    const maxt = (at ?? to) - vs.offsetMs;
    const known = out.get(vs);
    out.set(
      vs,
      known
        ? { mint: Math.min(known.mint, mint), maxt: Math.max(known.maxt, maxt) }
        : { mint, maxt },
    );
  };
  switch (expr.type) {
    case "vector":
      widen(expr, LOOKBACK_MS);
      break;
    case "matrix":
      if (!skip.has(expr)) widen(expr.vector, expr.rangeMs);
      break;
    case "subquery": {
      const grid = subqueryGrid(expr, from, to, bounds);
      if (grid.times.length > 0)
        selectorSpans(
          expr.expr,
          grid.times[0] as number,
          grid.times[grid.times.length - 1] as number,
          bounds,
          out,
        );
      break;
    }
    case "binary":
      selectorSpans(expr.lhs, from, to, bounds, out, skip);
      selectorSpans(expr.rhs, from, to, bounds, out, skip);
      break;
    case "aggregate":
      selectorSpans(expr.expr, from, to, bounds, out, skip);
      if (expr.param) selectorSpans(expr.param, from, to, bounds, out, skip);
      break;
    case "call":
      for (const arg of expr.args) selectorSpans(arg, from, to, bounds, out, skip);
      break;
    case "paren":
    case "unary":
      selectorSpans(expr.expr, from, to, bounds, out, skip);
      break;
  }
  return out;
}
