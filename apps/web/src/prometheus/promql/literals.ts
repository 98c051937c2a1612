// PromQL's literals: numbers, durations and strings, read as Prometheus reads them.

const UNIT_MS: Record<string, number> = {
  y: 365 * 24 * 3_600_000,
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};
const DURATION = /^(?:\d+(?:y|w|d|h|ms|m|s))+$/;

/** A duration in milliseconds: `1h30m`, `90s`, or a number of seconds (`1.5`). */
export function parseDuration(text: string): number {
  if (DURATION.test(text)) {
    let total = 0;
    let last = Number.POSITIVE_INFINITY;
    for (const [, digits, unit] of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) {
      const size = UNIT_MS[unit as string] as number;
      if (size >= last)
        throw new Error(`not a valid duration string: "${text}" (units out of order)`);
      last = size;
      total += Number(digits) * size;
    }
    if (!Number.isSafeInteger(total)) throw new Error(`duration out of range: "${text}"`);
    return total;
  }
  const seconds = parseNumber(text);
  if (!Number.isFinite(seconds)) throw new Error(`not a valid duration string: "${text}"`);
  return Math.round(seconds * 1000);
}

/** A number as Go's ParseFloat reads it (also hex, Inf and NaN in any case, and durations). */
export function parseNumber(text: string): number {
  const t = text.replaceAll("_", "");
  const sign = t.startsWith("-") ? -1 : 1;
  const body = t.replace(/^[+-]/, "");
  const lower = body.toLowerCase();
  if (lower === "inf" || lower === "infinity") return sign * Number.POSITIVE_INFINITY;
  if (lower === "nan") return Number.NaN;
  if (/^0x[0-9a-f]+$/.test(lower)) return sign * Number.parseInt(lower.slice(2), 16);
  if (DURATION.test(body)) return (sign * parseDuration(body)) / 1000;
  const value = Number(body);
  if (body === "" || Number.isNaN(value))
    throw new Error(`bad number or duration syntax: "${text}"`);
  return sign * value;
}

const ESCAPES: Record<string, string> = {
  a: "\u0007",
  b: "\b",
  f: "\f",
  n: "\n",
  r: "\r",
  t: "\t",
  v: "\v",
  "\\": "\\",
  "'": "'",
  '"': '"',
};

/** A quoted string's value, as Go's strconv.Unquote reads it (PromQL strings are Go strings). */
export function unquote(quoted: string): string {
  const quote = quoted[0];
  if (quoted.length < 2 || quoted[quoted.length - 1] !== quote)
    throw new Error(`unterminated quoted string ${quoted}`);
  const body = quoted.slice(1, -1);
  if (quote === "`") return body;
  let out = "";
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== "\\") {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new Error("invalid escape at the end of a string");
    if (ESCAPES[e] !== undefined) {
      if ((e === "'" && quote === '"') || (e === '"' && quote === "'"))
        throw new Error(`unknown escape sequence \\${e}`);
      out += ESCAPES[e];
    } else if (e === "x" || e === "u" || e === "U") {
      const width = e === "x" ? 2 : e === "u" ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex))
        throw new Error(`invalid escape \\${e}${hex}`);
      out +=
        e === "x"
          ? String.fromCharCode(Number.parseInt(hex, 16))
          : String.fromCodePoint(Number.parseInt(hex, 16));
      i += width;
    } else if (/[0-7]/.test(e)) {
      const octal = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(octal)) throw new Error(`invalid escape \\${octal}`);
      out += String.fromCharCode(Number.parseInt(octal, 8));
      i += 2;
    } else throw new Error(`unknown escape sequence \\${e}`);
  }
  return out;
}

/** A float as Prometheus writes sample values in JSON (Go's FormatFloat 'f', -1 / 'e' form). */
export function formatValue(value: number): string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Number.POSITIVE_INFINITY) return "+Inf";
  if (value === Number.NEGATIVE_INFINITY) return "-Inf";
  return String(value);
}
