// Binary operators between scalars and instant vectors, with Prometheus's vector matching
// (on/ignoring, group_left/group_right), its filtering comparisons and `bool`, and its set
// operators.
import { type BinaryOp, PromQLError, type VectorMatching } from "./ast.ts";
import {
  dropName,
  getLabel,
  keepOnly,
  type Labels,
  labelsKey,
  labelsRecord,
  setLabel,
  signature,
  withoutNames,
} from "./labels.ts";
import {
  mergeSameLabels,
  newStepSeries,
  type ScalarValue,
  type StepSeries,
  type Value,
  type VectorValue,
} from "./values.ts";

const COMPARISON = new Set<BinaryOp>(["==", "!=", ">", "<", ">=", "<="]);
/** Operators whose result drops the metric name (Prometheus 2.42 keeps it for atan2). */
const DROPS_NAME = new Set<BinaryOp>(["+", "-", "*", "/", "%", "^"]);

/** Go's math.Pow, which differs from `**` for a base of 1 or -1. */
function pow(x: number, y: number): number {
  if (x === 1 || y === 0) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return x ** y;
}

function arithmetic(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case "+":
      return l + r;
    case "-":
      return l - r;
    case "*":
      return l * r;
    case "/":
      return l / r;
    case "%":
      return l % r;
    case "^":
      return pow(l, r);
    case "atan2":
      return Math.atan2(l, r);
    default:
      throw new PromQLError("execution", `operator "${op}" is not an arithmetic operator`);
  }
}

function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case "==":
      return l === r;
    case "!=":
      return l !== r;
    case ">":
      return l > r;
    case "<":
      return l < r;
    case ">=":
      return l >= r;
    case "<=":
      return l <= r;
    default:
      throw new PromQLError("execution", `operator "${op}" is not a comparison operator`);
  }
}

/** One pair's result: a value, or undefined when a filtering comparison drops it. */
function apply(
  op: BinaryOp,
  l: number,
  r: number,
  bool: boolean,
  keepValue = l,
): number | undefined {
  if (!COMPARISON.has(op)) return arithmetic(op, l, r);
  const holds = compare(op, l, r);
  if (bool) return holds ? 1 : 0;
  return holds ? keepValue : undefined;
}

function scalarScalar(op: BinaryOp, l: ScalarValue, r: ScalarValue, bool: boolean): ScalarValue {
  const values = l.values.map((lv, i) => apply(op, lv, r.values[i] as number, bool) as number);
  return { kind: "scalar", values };
}

function vectorScalar(
  op: BinaryOp,
  vector: VectorValue,
  scalar: ScalarValue,
  scalarLeft: boolean,
  bool: boolean,
  n: number,
): VectorValue {
  const drop = DROPS_NAME.has(op) || bool;
  const out: StepSeries[] = [];
  for (const series of vector.series) {
    const result = newStepSeries(drop ? dropName(series.labels) : series.labels, n);
    for (let i = 0; i < n; i++) {
      if (!series.present[i]) continue;
      const v = series.values[i] as number;
      const s = scalar.values[i] as number;
      // A comparison keeps the vector's value, whichever side it is on.
      const value = scalarLeft ? apply(op, s, v, bool, v) : apply(op, v, s, bool, v);
      if (value === undefined) continue;
      result.present[i] = 1;
      result.values[i] = value;
    }
    out.push(result);
  }
  return { kind: "vector", series: mergeSameLabels(out, n) };
}

function setOperation(
  op: "and" | "or" | "unless",
  l: VectorValue,
  r: VectorValue,
  m: VectorMatching,
  n: number,
): VectorValue {
  const names = new Set(m.labels);
  const lsig = l.series.map((s) => signature(s.labels, m.on, names));
  const rsig = r.series.map((s) => signature(s.labels, m.on, names));
  const out = new Map<string, StepSeries>();
  const emit = (series: StepSeries, i: number) => {
    const key = labelsKey(series.labels);
    let result = out.get(key);
    if (!result) {
      result = newStepSeries(series.labels, n);
      out.set(key, result);
    }
    result.present[i] = 1;
    result.values[i] = series.values[i] as number;
  };
  const sigs = new Set<string>();
  for (let i = 0; i < n; i++) {
    sigs.clear();
    const [from, to] = op === "or" ? [l.series, lsig] : [r.series, rsig];
    from.forEach((s, j) => {
      if (s.present[i]) sigs.add(to[j] as string);
    });
    l.series.forEach((s, j) => {
      if (!s.present[i]) return;
      const matched = sigs.has(lsig[j] as string);
      if (op === "or" || (op === "and") === matched) emit(s, i);
    });
    if (op === "or")
      r.series.forEach((s, j) => {
        if (s.present[i] && !sigs.has(rsig[j] as string)) emit(s, i);
      });
  }
  return { kind: "vector", series: [...out.values()] };
}

function resultLabels(
  many: Labels,
  one: Labels,
  op: BinaryOp,
  bool: boolean,
  m: VectorMatching,
): Labels {
  let labels = DROPS_NAME.has(op) || bool ? dropName(many) : many;
  if (m.card === "one-to-one") {
    const names = new Set(m.labels);
    labels = m.on ? keepOnly(labels, names) : withoutNames(labels, names);
  }
  for (const name of m.include) labels = setLabel(labels, name, getLabel(one, name));
  return labels;
}

function shown(labels: Labels): string {
  return JSON.stringify(labelsRecord(labels));
}

function vectorVector(
  op: BinaryOp,
  l: VectorValue,
  r: VectorValue,
  bool: boolean,
  m: VectorMatching,
  n: number,
): VectorValue {
  // The "many" side is the left one, swapping for group_right.
  const swap = m.card === "one-to-many";
  const many = swap ? r.series : l.series;
  const one = swap ? l.series : r.series;
  const names = new Set(m.labels);
  const manySig = many.map((s) => signature(s.labels, m.on, names));
  const oneSig = one.map((s) => signature(s.labels, m.on, names));
  const out = new Map<string, StepSeries>();
  const labelCache = new Map<string, Labels>();
  const bySig = new Map<string, number>();
  const matched = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    bySig.clear();
    matched.clear();
    for (let j = 0; j < one.length; j++) {
      if (!(one[j] as StepSeries).present[i]) continue;
      const sig = oneSig[j] as string;
      const earlier = bySig.get(sig);
      if (earlier !== undefined)
        throw new PromQLError(
          "execution",
          `found duplicate series for the match group ${sig ? shown((one[j] as StepSeries).labels) : "{}"} on the ${swap ? "left" : "right"} hand-side of the operation: [${shown((one[earlier] as StepSeries).labels)}, ${shown((one[j] as StepSeries).labels)}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      bySig.set(sig, j);
    }
    for (let j = 0; j < many.length; j++) {
      const ms = many[j] as StepSeries;
      if (!ms.present[i]) continue;
      const sig = manySig[j] as string;
      const k = bySig.get(sig);
      if (k === undefined) continue;
      if (m.card === "one-to-one") {
        if (matched.has(sig))
          throw new PromQLError(
            "execution",
            "multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)",
          );
        matched.set(sig, j);
      }
      const os = one[k] as StepSeries;
      const [lv, rv] = swap
        ? [os.values[i] as number, ms.values[i] as number]
        : [ms.values[i] as number, os.values[i] as number];
      const value = apply(op, lv, rv, bool);
      if (value === undefined) continue;
      const cacheKey = `${j}:${k}`;
      let labels = labelCache.get(cacheKey);
      if (!labels) {
        labels = resultLabels(ms.labels, os.labels, op, bool, m);
        labelCache.set(cacheKey, labels);
      }
      const key = labelsKey(labels);
      let result = out.get(key);
      if (!result) {
        result = newStepSeries(labels, n);
        out.set(key, result);
      }
      if (result.present[i])
        throw new PromQLError(
          "execution",
          "multiple matches for labels: grouping labels must ensure unique matches",
        );
      result.present[i] = 1;
      result.values[i] = value;
    }
  }
  return { kind: "vector", series: [...out.values()] };
}

export function binary(
  op: BinaryOp,
  lhs: Value,
  rhs: Value,
  bool: boolean,
  matching: VectorMatching,
  n: number,
): Value {
  if (lhs.kind === "scalar" && rhs.kind === "scalar") return scalarScalar(op, lhs, rhs, bool);
  if (lhs.kind === "vector" && rhs.kind === "scalar")
    return vectorScalar(op, lhs, rhs, false, bool, n);
  if (lhs.kind === "scalar" && rhs.kind === "vector")
    return vectorScalar(op, rhs, lhs, true, bool, n);
  if (lhs.kind !== "vector" || rhs.kind !== "vector")
    throw new PromQLError("execution", "binary operators take scalars and instant vectors");
  if (op === "and" || op === "or" || op === "unless")
    return setOperation(op, lhs, rhs, matching, n);
  return vectorVector(op, lhs, rhs, bool, matching, n);
}
