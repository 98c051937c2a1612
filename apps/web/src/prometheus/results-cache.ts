// Range-query results kept between refreshes, as Prometheus query frontends (Cortex, Thanos,
// Mimir) and VictoriaMetrics keep them: a dashboard asks the same query every few seconds with
// its window moved on, and only the steps it has not seen are evaluated. Every step is
// independent in PromQL, so a range query split into runs of steps answers the same.
//
// Only expressions that read selectors through rate() and its kin are kept (the heavy ones
// dashboards repeat), and of them only settled steps: those whose data (up to the minute that starts at the step,
// further with a negative offset) lies in minutes rolled up and not pending, that ended long
// enough ago that a point arriving for them now is counted as rolled up late. A late rollup
// changes the project's revision (metric_rollup_revision), which empties its entries.
import type { RollupState } from "@vigil/db/telemetry";
import type { Expr } from "./promql/ast.ts";
import { compareLabels, labelsOf } from "./promql/labels.ts";
import { parsePromQL } from "./promql/parse.ts";
import { type Point, type Querier, type QueryResult, rangeQuery } from "./promql/query.ts";

const MINUTE_MS = 60_000;
/** Values kept per process (about 60 bytes each), the oldest entries dropped first. */
const MAX_VALUES = 2_000_000;

type Matrix = { metric: Record<string, string>; values: Point[] }[];
type Entry = { revision: string; from: number; to: number; result: Matrix; values: number };

/** Entries in the order they were last written; their values together stay within MAX_VALUES. */
const cache = new Map<string, Entry>();
let kept = 0;

/** What an entry costs against MAX_VALUES: its values, and its key (a query's text) as well. */
const weight = (key: string, entry: Entry) => entry.values + 1 + Math.ceil(key.length / 64);

function keep(key: string, entry: Entry) {
  const known = cache.get(key);
  if (known) {
    cache.delete(key);
    kept -= weight(key, known);
  }
  if (weight(key, entry) > MAX_VALUES / 4) return; // too large to be worth keeping
  cache.set(key, entry);
  kept += weight(key, entry);
  for (const [oldest, old] of cache) {
    if (kept <= MAX_VALUES) break;
    cache.delete(oldest);
    kept -= weight(oldest, old);
  }
}

/**
 * Range functions whose value does not depend on where the read of a running total began (its
 * level does: see SampleSeries.running), so a step's answer is the same however the query is cut.
 */
const LEVEL_FREE = new Set([
  "rate",
  "increase",
  "irate",
  "delta",
  "idelta",
  "deriv",
  "resets",
  "changes",
]);

/**
 * How far past a step the expression reads (a negative offset), or null if its steps cannot be
 * kept: a selector read other than through LEVEL_FREE functions, or an `@` (which ties steps to
 * the query's bounds).
 */
function lookahead(expr: Expr): number | null {
  let ahead = 0;
  let keep = true;
  const visit = (e: Expr) => {
    switch (e.type) {
      case "vector":
      case "matrix":
        keep = false;
        break;
      case "subquery":
        if (e.at !== null) keep = false;
        ahead = Math.max(ahead, -e.offsetMs);
        visit(e.expr);
        break;
      case "binary":
        visit(e.lhs);
        visit(e.rhs);
        break;
      case "aggregate":
        visit(e.expr);
        if (e.param) visit(e.param);
        break;
      case "call": {
        const [arg] = e.args;
        if (LEVEL_FREE.has(e.func) && arg?.type === "matrix") {
          if (arg.vector.at !== null) keep = false;
          ahead = Math.max(ahead, -arg.vector.offsetMs);
        } else for (const a of e.args) visit(a);
        break;
      }
      case "paren":
      case "unary":
        visit(e.expr);
        break;
    }
  };
  visit(expr);
  return keep ? ahead : null;
}

/** The steps of `m` in [from, to]. */
function slice(m: Matrix, from: number, to: number): Matrix {
  return m
    .map((s) => ({
      metric: s.metric,
      values: s.values.filter(([t]) => Math.round(t * 1000) >= from && Math.round(t * 1000) <= to),
    }))
    .filter((s) => s.values.length > 0);
}

/** Series of the parts (in time order) joined by their labels, sorted as a query's are. */
function join(parts: Matrix[]): Matrix {
  const byKey = new Map<string, { metric: Record<string, string>; values: Point[] }>();
  for (const part of parts)
    for (const s of part) {
      const key = JSON.stringify(s.metric);
      const known = byKey.get(key);
      if (known) known.values.push(...s.values);
      else byKey.set(key, { metric: s.metric, values: [...s.values] });
    }
  return [...byKey.values()].sort((a, b) => compareLabels(labelsOf(a.metric), labelsOf(b.metric)));
}

/**
 * `rangeQuery` with the settled steps of an earlier answer to the same query (same project,
 * text, step and phase) reused. `state` is read just before; `nowMs` is the clock.
 */
export async function cachedRangeQuery(
  querier: Querier,
  scope: { projectId: string; state: RollupState; nowMs: number },
  text: string,
  start: number,
  end: number,
  step: number,
): Promise<QueryResult> {
  const ahead = lookahead(parsePromQL(text));
  if (ahead === null) return rangeQuery(querier, text, start, end, step);
  // Data a step reads ends with the minute starting at the step (+ ahead); settled minutes end
  // before the first pending one and long enough ago to be counted late if they change.
  const { state, nowMs } = scope;
  const settled = Math.min(
    nowMs - state.lateMs - 15_000,
    state.pendingFromMs ?? Number.POSITIVE_INFINITY,
  );
  const lastSettled = Math.floor((settled - MINUTE_MS - ahead - start) / step) * step + start;
  const key = [scope.projectId, step, ((start % step) + step) % step, text].join("\u0000");
  const known = cache.get(key);
  const reuse =
    known && known.revision === state.revision
      ? { from: Math.max(start, known.from), to: Math.min(end, known.to, lastSettled) }
      : null;
  let result: Matrix;
  if (reuse && reuse.from <= reuse.to) {
    const parts: Matrix[] = [];
    if (reuse.from > start)
      parts.push(
        (await rangeQuery(querier, text, start, reuse.from - step, step)).result as Matrix,
      );
    parts.push(slice((known as Entry).result, reuse.from, reuse.to));
    if (reuse.to < end)
      parts.push((await rangeQuery(querier, text, reuse.to + step, end, step)).result as Matrix);
    result = join(parts);
  } else result = (await rangeQuery(querier, text, start, end, step)).result as Matrix;
  const keepTo = Math.min(end, lastSettled);
  if (keepTo >= start) {
    const settledPart = slice(result, start, keepTo);
    const values = settledPart.reduce((n, s) => n + s.values.length, 0);
    keep(key, { revision: state.revision, from: start, to: keepTo, result: settledPart, values });
  }
  return { resultType: "matrix", result };
}
