// OpenTelemetry names as Prometheus names, by the OpenTelemetry specification's Prometheus
// compatibility rules: invalid characters become `_`, the unit becomes a suffix (`s` →
// `_seconds`, `By` → `_bytes`, `1` on a gauge → `_ratio`, `X/Y` → `_X_per_Y`, `{…}` dropped),
// monotonic sums end in `_total`; attributes become labels with the same character rules, and
// `service.name` / `service.instance.id` become `job` / `instance`.

const UNITS: Record<string, string> = {
  d: "days",
  h: "hours",
  min: "minutes",
  s: "seconds",
  ms: "milliseconds",
  us: "microseconds",
  ns: "nanoseconds",
  By: "bytes",
  KiBy: "kibibytes",
  MiBy: "mebibytes",
  GiBy: "gibibytes",
  TiBy: "tibibytes",
  KBy: "kilobytes",
  MBy: "megabytes",
  GBy: "gigabytes",
  TBy: "terabytes",
  m: "meters",
  V: "volts",
  A: "amperes",
  J: "joules",
  W: "watts",
  g: "grams",
  Cel: "celsius",
  Hz: "hertz",
  "%": "percent",
};

const PER_UNITS: Record<string, string> = {
  s: "second",
  m: "minute",
  h: "hour",
  d: "day",
  w: "week",
  mo: "month",
  y: "year",
};

/** A name with every character Prometheus does not allow replaced by `_`, runs of `_` folded. */
export function sanitizeMetricName(name: string): string {
  let out = name.replace(/[^a-zA-Z0-9_:]/g, "_").replace(/__+/g, "_");
  if (/^[0-9]/.test(out)) out = `_${out}`;
  return out;
}

/** An attribute key as a label name (a leading digit gets `key_`, as the specification says). */
export function sanitizeLabelName(key: string): string {
  let out = key.replace(/[^a-zA-Z0-9_]/g, "_");
  if (/^[0-9]/.test(out)) out = `key_${out}`;
  else if (out.startsWith("_") && !out.startsWith("__")) out = `key${out}`;
  return out;
}

function unitWord(unit: string, table: Record<string, string>): string {
  const known = table[unit];
  if (known) return known;
  return unit
    .replace(/[^a-zA-Z0-9]/g, "_")
    .replace(/__+/g, "_")
    .replace(/^_|_$/g, "");
}

/** The unit as name suffix words, or "" (annotations in braces carry no unit). */
export function unitSuffix(unit: string, gauge: boolean): string {
  const plain = unit.replace(/\{[^}]*\}/g, "").trim();
  if (plain === "") return "";
  if (plain === "1") return gauge ? "ratio" : "";
  const [main = "", per = ""] = plain.split("/", 2);
  const words = [
    main === "1" ? "" : unitWord(main, UNITS),
    per ? `per_${unitWord(per, PER_UNITS)}` : "",
  ];
  return words.filter(Boolean).join("_");
}

export type OtelMetricShape = {
  name: string;
  unit: string;
  /** 1 gauge, 2 sum, 3 histogram, 5 summary (as MetricType). */
  type: number;
  monotonic: boolean;
};

/** The Prometheus name of an OpenTelemetry metric (a histogram's or summary's family name). */
export function prometheusName(metric: OtelMetricShape): string {
  let name = sanitizeMetricName(metric.name);
  const suffix = unitSuffix(metric.unit, metric.type === 1);
  if (suffix && !name.endsWith(`_${suffix}`) && name !== suffix) name = `${name}_${suffix}`;
  if (metric.type === 2 && metric.monotonic) {
    if (name.endsWith("_total")) return name;
    return `${name}_total`;
  }
  return name;
}

/** `job` for a service: `namespace/name` when the service has a namespace, as the specification says. */
export function jobOf(serviceName: string, namespace: string | undefined): string {
  return namespace ? `${namespace}/${serviceName}` : serviceName;
}

/** An attribute value as a label value (strings as they are, anything else as JSON). */
export function labelValue(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  return JSON.stringify(value);
}
