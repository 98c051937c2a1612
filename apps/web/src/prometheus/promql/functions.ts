// Functions over instant vectors and scalars, as Prometheus 2.42 computes them.
import { anchoredRegex } from "../../lib/label-match.ts";
import { type Expr, type Matcher, PromQLError } from "./ast.ts";
import {
  dropName,
  getLabel,
  isValidLabelName,
  type Labels,
  labelsKey,
  labelsOf,
  NAME,
  setLabel,
  withoutNames,
} from "./labels.ts";
import { type Bucket, bucketQuantile } from "./quantile.ts";
import { newStepSeries, type ScalarValue, type StepSeries, type VectorValue } from "./values.ts";

type Elementwise = (v: number, args: number[]) => number;

const date =
  (pick: (d: Date) => number): Elementwise =>
  (v) => {
    const d = new Date(v * 1000);
    return pick(d);
  };

/** Go's math.Round (half away from zero) is not needed: round() uses floor(v*k + 0.5)/k. */
const ELEMENTWISE: Record<string, Elementwise> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (v) => (v * 180) / Math.PI,
  rad: (v) => (v * Math.PI) / 180,
  sgn: (v) => (v < 0 ? -1 : v > 0 ? 1 : v),
  clamp_max: (v, [max]) => Math.min(max as number, v),
  clamp_min: (v, [min]) => Math.max(min as number, v),
  round: (v, [toNearest = 1]) => {
    const inverse = 1 / toNearest;
    return Math.floor(v * inverse + 0.5) / inverse;
  },
  day_of_month: date((d) => d.getUTCDate()),
  day_of_week: date((d) => d.getUTCDay()),
  day_of_year: date(
    (d) =>
      Math.round(
        (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) -
          Date.UTC(d.getUTCFullYear(), 0, 1)) /
          86_400_000,
      ) + 1,
  ),
  days_in_month: date((d) =>
    new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  ),
  hour: date((d) => d.getUTCHours()),
  minute: date((d) => d.getUTCMinutes()),
  month: date((d) => d.getUTCMonth() + 1),
  year: date((d) => d.getUTCFullYear()),
};

export function isElementwise(name: string): boolean {
  return name in ELEMENTWISE || name === "clamp";
}

/** Math's min/max, which (unlike Go's) must not turn a NaN bound into a NaN result silently. */
function clamp(v: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, v));
}

/** An elementwise function over a vector, with its scalar arguments at each step. */
export function elementwise(
  name: string,
  input: VectorValue,
  scalars: ScalarValue[],
  n: number,
): VectorValue {
  const fn = ELEMENTWISE[name];
  const out: StepSeries[] = [];
  const args: number[] = [];
  for (const series of input.series) {
    const result = newStepSeries(dropName(series.labels), n);
    for (let i = 0; i < n; i++) {
      if (!series.present[i]) continue;
      args.length = 0;
      for (const s of scalars) args.push(s.values[i] as number);
      const v = series.values[i] as number;
      if (name === "clamp") {
        const [min, max] = args as [number, number];
        if (max < min) continue;
        result.values[i] = clamp(v, min, max);
      } else result.values[i] = (fn as Elementwise)(v, args);
      result.present[i] = 1;
    }
    out.push(result);
  }
  return { kind: "vector", series: out };
}

/** histogram_quantile over classic buckets: series grouped by their labels without `le`. */
export function histogramQuantile(q: ScalarValue, input: VectorValue, n: number): VectorValue {
  const groups = new Map<
    string,
    { labels: Labels; buckets: { upperBound: number; series: StepSeries }[] }
  >();
  const without = new Set(["le", NAME]);
  for (const series of input.series) {
    const le = getLabel(series.labels, "le");
    const upperBound = parseBound(le);
    if (upperBound === null) continue;
    const labels = withoutNames(series.labels, without);
    const key = labelsKey(labels);
    let group = groups.get(key);
    if (!group) {
      group = { labels, buckets: [] };
      groups.set(key, group);
    }
    group.buckets.push({ upperBound, series });
  }
  const out: StepSeries[] = [];
  const buckets: Bucket[] = [];
  for (const group of groups.values()) {
    const result = newStepSeries(group.labels, n);
    for (let i = 0; i < n; i++) {
      buckets.length = 0;
      for (const b of group.buckets)
        if (b.series.present[i])
          buckets.push({ upperBound: b.upperBound, count: b.series.values[i] as number });
      if (buckets.length === 0) continue;
      result.present[i] = 1;
      result.values[i] = bucketQuantile(q.values[i] as number, buckets);
    }
    out.push(result);
  }
  return { kind: "vector", series: out };
}

function parseBound(le: string): number | null {
  if (le === "") return null;
  const lower = le.toLowerCase();
  if (lower === "+inf" || lower === "inf") return Number.POSITIVE_INFINITY;
  if (lower === "-inf") return Number.NEGATIVE_INFINITY;
  const value = Number(le);
  return Number.isNaN(value) && lower !== "nan" ? null : value;
}

/** Go's Regexp.ExpandString: `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, groups: (name: string) => string): string {
  return template.replace(
    /\$(?:\$|\{([a-zA-Z0-9_]+)\}|([a-zA-Z0-9_]+))/g,
    (whole, braced, bare) => {
      if (whole === "$$") return "$";
      return groups((braced ?? bare) as string);
    },
  );
}

export function labelReplace(
  input: VectorValue,
  dst: string,
  replacement: string,
  src: string,
  pattern: string,
): VectorValue {
  let regex: ReturnType<typeof anchoredRegex>;
  try {
    regex = anchoredRegex(pattern);
  } catch (error) {
    throw new PromQLError(
      "execution",
      `invalid regular expression in label_replace(): ${pattern} (${(error as Error).message})`,
    );
  }
  if (!isValidLabelName(dst))
    throw new PromQLError("execution", `invalid destination label name in label_replace(): ${dst}`);
  const series = input.series.map((s) => {
    const matcher = regex.matcher(getLabel(s.labels, src));
    if (!matcher.matches()) return s;
    const value = expand(replacement, (name) => {
      const index = /^\d+$/.test(name) ? Number(name) : null;
      try {
        return (index !== null ? matcher.group(index) : matcher.group(name)) ?? "";
      } catch {
        return "";
      }
    });
    return { ...s, labels: setLabel(s.labels, dst, value) };
  });
  return { kind: "vector", series };
}

export function labelJoin(
  input: VectorValue,
  dst: string,
  separator: string,
  sources: string[],
): VectorValue {
  if (!isValidLabelName(dst))
    throw new PromQLError("execution", `invalid destination label name in label_join(): ${dst}`);
  for (const src of sources)
    if (!isValidLabelName(src))
      throw new PromQLError("execution", `invalid source label name in label_join(): ${src}`);
  const series = input.series.map((s) => ({
    ...s,
    labels: setLabel(s.labels, dst, sources.map((src) => getLabel(s.labels, src)).join(separator)),
  }));
  return { kind: "vector", series };
}

/** absent()'s labels: those the selector pins with `=` (not the name), when it is one. */
function absentLabels(arg: Expr): Record<string, string> {
  // As Prometheus: only a selector written directly as the argument (not in parentheses).
  const vs = arg.type === "matrix" ? arg.vector : arg.type === "vector" ? arg : null;
  if (!vs) return {};
  const labels: Record<string, string> = {};
  const seen = new Set<string>();
  for (const m of vs.matchers as Matcher[]) {
    if (m.name === "__name__") continue;
    if (m.op === "=" && !seen.has(m.name)) labels[m.name] = m.value;
    else delete labels[m.name];
    seen.add(m.name);
  }
  return labels;
}

/** absent()'s value: 1 at the steps where its argument had nothing. */
export function absentResult(present: Uint8Array, arg: Expr, n: number): VectorValue {
  const result = newStepSeries(labelsOf(absentLabels(arg)), n);
  let any = false;
  for (let i = 0; i < n; i++) {
    if (present[i]) continue;
    result.present[i] = 1;
    result.values[i] = 1;
    any = true;
  }
  return { kind: "vector", series: any ? [result] : [] };
}
