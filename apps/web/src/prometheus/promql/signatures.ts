import type { ValueType } from "./ast.ts";

/** A function's argument types (`optional` trailing ones may be left out) and result type. */
export type Signature = {
  args: ValueType[];
  optional?: number;
  /** The last argument type may repeat (label_join's source labels). */
  variadic?: boolean;
  returns: ValueType;
};

const v = "vector" as const;
const m = "matrix" as const;
const s = "scalar" as const;
const str = "string" as const;

const instant = (returns: ValueType = v): Signature => ({ args: [v], returns });
const overTime: Signature = { args: [m], returns: v };
const dateFn: Signature = { args: [v], optional: 1, returns: v };

/** The functions of Prometheus 2.42's PromQL that Vigil evaluates. */
export const SIGNATURES: Record<string, Signature> = {
  abs: instant(),
  absent: instant(),
  absent_over_time: overTime,
  acos: instant(),
  acosh: instant(),
  asin: instant(),
  asinh: instant(),
  atan: instant(),
  atanh: instant(),
  avg_over_time: overTime,
  ceil: instant(),
  changes: overTime,
  clamp: { args: [v, s, s], returns: v },
  clamp_max: { args: [v, s], returns: v },
  clamp_min: { args: [v, s], returns: v },
  cos: instant(),
  cosh: instant(),
  count_over_time: overTime,
  day_of_month: dateFn,
  day_of_week: dateFn,
  day_of_year: dateFn,
  days_in_month: dateFn,
  deg: instant(),
  delta: overTime,
  deriv: overTime,
  exp: instant(),
  floor: instant(),
  histogram_quantile: { args: [s, v], returns: v },
  hour: dateFn,
  idelta: overTime,
  increase: overTime,
  irate: overTime,
  label_join: { args: [v, str, str, str], variadic: true, returns: v },
  label_replace: { args: [v, str, str, str, str], returns: v },
  last_over_time: overTime,
  ln: instant(),
  log10: instant(),
  log2: instant(),
  max_over_time: overTime,
  min_over_time: overTime,
  minute: dateFn,
  month: dateFn,
  pi: { args: [], returns: s },
  predict_linear: { args: [m, s], returns: v },
  present_over_time: overTime,
  quantile_over_time: { args: [s, m], returns: v },
  rad: instant(),
  rate: overTime,
  resets: overTime,
  round: { args: [v, s], optional: 1, returns: v },
  scalar: { args: [v], returns: s },
  sgn: instant(),
  sin: instant(),
  sinh: instant(),
  sort: instant(),
  sort_desc: instant(),
  sqrt: instant(),
  stddev_over_time: overTime,
  stdvar_over_time: overTime,
  sum_over_time: overTime,
  tan: instant(),
  tanh: instant(),
  time: { args: [], returns: s },
  timestamp: instant(),
  vector: { args: [s], returns: v },
  year: dateFn,
};

/** Aggregations that take a parameter before the vector, and its type. */
export const AGGREGATE_PARAMS: Record<string, ValueType> = {
  topk: s,
  bottomk: s,
  quantile: s,
  count_values: str,
};
