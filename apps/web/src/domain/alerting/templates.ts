import type { Labels } from "./alertmanager-payload.ts";
import { formatValue } from "./format.ts";

// Label and annotation templates as in Prometheus rules: {{ $labels.<name> }} and {{ $value }},
// optionally through humanize, humanizeDuration or humanizePercentage, written either way
// Prometheus accepts: {{ $value | humanize }} or {{ humanize $value }}.

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const OPERAND = /^(\$value|\$labels\.[A-Za-z_][A-Za-z0-9_.]*)$/;
const FUNCTIONS = ["humanize", "humanizeDuration", "humanizePercentage"] as const;
type Function = (typeof FUNCTIONS)[number];

type Parsed = { operand: string; fn: Function | null };

function parsePlaceholder(inner: string): Parsed | null {
  const piped = /^(\S+)\s*\|\s*(\w+)$/.exec(inner);
  const called = /^(\w+)\s+(\S+)$/.exec(inner);
  const [operand, fn] = piped
    ? [piped[1], piped[2]]
    : called
      ? [called[2], called[1]]
      : [inner, null];
  if (!OPERAND.test(operand ?? "")) return null;
  if (fn !== null && !FUNCTIONS.includes(fn as Function)) return null;
  return { operand: operand as string, fn: fn as Function | null };
}

/** Throws, naming the placeholder, if the text uses anything this templating does not know. */
export function checkTemplate(text: string): void {
  for (const [whole, inner] of text.matchAll(PLACEHOLDER)) {
    if (!parsePlaceholder(inner ?? "")) {
      throw new Error(
        `${whole} is not a template Vigil knows; use {{ $labels.<name> }} or {{ $value }}, optionally | ${FUNCTIONS.join(", | ")}`,
      );
    }
  }
}

/** Go's %.4g for the numbers these functions print (trailing zeros dropped). */
const g4 = (v: number) => String(Number(v.toPrecision(4)));

const BIG = ["", "k", "M", "G", "T", "P", "E", "Z", "Y"];
const SMALL = ["", "m", "u", "n", "p", "f", "a", "z", "y"];

/** A number with an SI prefix, as Prometheus's humanize: 1234 → 1.234k, 0.005 → 5m. */
export function humanize(v: number): string {
  if (v === 0 || !Number.isFinite(v)) return formatValue(v);
  let scaled = v;
  let i = 0;
  if (Math.abs(v) >= 1) {
    while (Math.abs(scaled) >= 1000 && i < BIG.length - 1) {
      scaled /= 1000;
      i++;
    }
    return `${g4(scaled)}${BIG[i]}`;
  }
  while (Math.abs(scaled) < 1 && i < SMALL.length - 1) {
    scaled *= 1000;
    i++;
  }
  return `${g4(scaled)}${SMALL[i]}`;
}

/** Seconds as Prometheus's humanizeDuration: 90061 → 1d 1h 1m 1s, 0.25 → 250ms. */
export function humanizeDuration(v: number): string {
  if (!Number.isFinite(v)) return formatValue(v);
  if (v === 0) return "0s";
  const sign = v < 0 ? "-" : "";
  const abs = Math.abs(v);
  if (abs < 1) {
    for (const [unit, factor] of [
      ["ms", 1e3],
      ["us", 1e6],
      ["ns", 1e9],
    ] as const) {
      if (abs * factor >= 1 || unit === "ns") return `${sign}${g4(abs * factor)}${unit}`;
    }
  }
  const total = Math.floor(abs);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (days) return `${sign}${days}d ${hours}h ${minutes}m ${seconds}s`;
  if (hours) return `${sign}${hours}h ${minutes}m ${seconds}s`;
  if (minutes) return `${sign}${minutes}m ${seconds}s`;
  return `${sign}${g4(abs)}s`;
}

function apply(fn: Function | null, operand: string, labels: Labels, value: number | null): string {
  if (operand === "$value") {
    if (value === null || fn === null) return formatValue(value);
    if (fn === "humanize") return humanize(value);
    if (fn === "humanizeDuration") return humanizeDuration(value);
    return `${g4(value * 100)}%`;
  }
  const text = labels[operand.slice("$labels.".length)] ?? "";
  const number = Number(text);
  if (fn === null || text === "" || Number.isNaN(number)) return text;
  return apply(fn, "$value", labels, number);
}

export function expandTemplate(text: string, labels: Labels, value: number | null): string {
  return text.replace(PLACEHOLDER, (_whole, inner: string) => {
    const parsed = parsePlaceholder(inner);
    return parsed ? apply(parsed.fn, parsed.operand, labels, value) : "";
  });
}

export function expandAll(templates: Labels, labels: Labels, value: number | null): Labels {
  return Object.fromEntries(
    Object.entries(templates).map(([key, text]) => [key, expandTemplate(text, labels, value)]),
  );
}
