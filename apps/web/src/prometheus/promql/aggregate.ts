// Aggregation operators over an instant vector, at every step, as Prometheus 2.42 computes them.
import { type AggregateOp, PromQLError } from "./ast.ts";
import { keepOnly, type Labels, labelsKey, NAME, setLabel, withoutNames } from "./labels.ts";
import { formatValue } from "./literals.ts";
import { quantile } from "./quantile.ts";
import { newStepSeries, type StepSeries, type VectorValue } from "./values.ts";

type Spec = {
  op: AggregateOp;
  without: boolean;
  grouping: string[];
  /** The parameter at each step (topk, bottomk, quantile), or count_values' label. */
  param: Float64Array | string | null;
};

type Group = { labels: Labels; members: StepSeries[] };

function groupsOf(input: StepSeries[], spec: Spec): Group[] {
  const names = new Set(spec.grouping);
  if (spec.without) names.add(NAME);
  const groups = new Map<string, Group>();
  for (const series of input) {
    const labels = spec.without
      ? withoutNames(series.labels, names)
      : keepOnly(series.labels, names);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) {
      group = { labels, members: [] };
      groups.set(key, group);
    }
    group.members.push(series);
  }
  return [...groups.values()];
}

/** One value per group and step from the group's values at that step (none present: no value). */
function reduce(
  groups: Group[],
  n: number,
  fold: (values: number[], step: number) => number,
): StepSeries[] {
  const out: StepSeries[] = [];
  const values: number[] = [];
  for (const group of groups) {
    const result = newStepSeries(group.labels, n);
    for (let i = 0; i < n; i++) {
      values.length = 0;
      for (const member of group.members)
        if (member.present[i]) values.push(member.values[i] as number);
      if (values.length === 0) continue;
      result.present[i] = 1;
      result.values[i] = fold(values, i);
    }
    out.push(result);
  }
  return out;
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

function mean(values: number[]): number {
  let m = 0;
  let count = 0;
  for (const v of values) {
    count++;
    if (!Number.isFinite(m) && !Number.isNaN(m)) {
      if (!Number.isFinite(v) && !Number.isNaN(v) && m > 0 === v > 0) continue;
      if (Number.isFinite(v)) continue;
    }
    m += v / count - m / count;
  }
  return m;
}

function variance(values: number[]): number {
  let count = 0;
  let m = 0;
  let value = 0;
  for (const v of values) {
    count++;
    const delta = v - m;
    m += delta / count;
    value += delta * (v - m);
  }
  return value / count;
}

function extreme(values: number[], max: boolean): number {
  let result = values[0] as number;
  for (const v of values) if ((max ? result < v : result > v) || Number.isNaN(result)) result = v;
  return result;
}

const FOLDS: Partial<Record<AggregateOp, (values: number[]) => number>> = {
  sum,
  avg: mean,
  count: (values) => values.length,
  group: () => 1,
  min: (values) => extreme(values, false),
  max: (values) => extreme(values, true),
  stddev: (values) => Math.sqrt(variance(values)),
  stdvar: variance,
};

/** topk/bottomk: the k largest (smallest) series of each group at each step, keeping their labels. */
function selectK(groups: Group[], n: number, k: Float64Array, top: boolean): StepSeries[] {
  const kept = new Map<StepSeries, StepSeries>();
  // NaN ranks below every number for topk and above every number for bottomk.
  const better = (a: number, b: number) =>
    top
      ? a > b || (Number.isNaN(b) && !Number.isNaN(a))
      : a < b || (Number.isNaN(b) && !Number.isNaN(a));
  for (let i = 0; i < n; i++) {
    const want = Math.trunc(k[i] as number);
    if (!(want >= 1)) continue;
    for (const group of groups) {
      const present = group.members.filter((member) => member.present[i]);
      const chosen = present
        .map((member, order) => ({ member, order }))
        .sort((a, b) => {
          const av = a.member.values[i] as number;
          const bv = b.member.values[i] as number;
          if (better(av, bv)) return -1;
          if (better(bv, av)) return 1;
          return a.order - b.order;
        })
        .slice(0, want);
      for (const { member } of chosen) {
        let out = kept.get(member);
        if (!out) {
          out = newStepSeries(member.labels, n);
          kept.set(member, out);
        }
        out.present[i] = 1;
        out.values[i] = member.values[i] as number;
      }
    }
  }
  return [...kept.values()];
}

function countValues(input: StepSeries[], spec: Spec, label: string, n: number): StepSeries[] {
  const names = new Set(spec.grouping);
  if (spec.without) names.add(NAME);
  const out = new Map<string, StepSeries>();
  for (let i = 0; i < n; i++) {
    for (const series of input) {
      if (!series.present[i]) continue;
      const base = spec.without
        ? withoutNames(series.labels, names)
        : keepOnly(series.labels, names);
      const labels = setLabel(base, label, formatValue(series.values[i] as number));
      const key = labelsKey(labels);
      let counter = out.get(key);
      if (!counter) {
        counter = newStepSeries(labels, n);
        out.set(key, counter);
      }
      counter.present[i] = 1;
      counter.values[i] = (counter.values[i] as number) + 1;
    }
  }
  return [...out.values()];
}

export function aggregate(input: VectorValue, spec: Spec, n: number): VectorValue {
  const { op, param } = spec;
  if (op === "count_values") {
    const label = param as string;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label))
      throw new PromQLError("execution", `invalid label name "${label}"`);
    return { kind: "vector", series: countValues(input.series, spec, label, n) };
  }
  const groups = groupsOf(input.series, spec);
  if (op === "topk" || op === "bottomk")
    return { kind: "vector", series: selectK(groups, n, param as Float64Array, op === "topk") };
  if (op === "quantile") {
    const q = param as Float64Array;
    return {
      kind: "vector",
      series: reduce(groups, n, (values, i) => quantile(q[i] as number, values)),
    };
  }
  const fold = FOLDS[op];
  if (!fold) throw new PromQLError("bad_data", `aggregation "${op}" is not supported by Vigil`);
  return { kind: "vector", series: reduce(groups, n, fold) };
}
