import type { Attributes, AttributeValue } from "./model.ts";

// Bounds on what one item may carry, so a hostile or careless sender cannot hand the database a
// value it refuses (an index entry too large, a number out of a column's range) or a structure
// that takes unbounded work to walk. OpenTelemetry limits instrument names to 255 characters.

export const limits = {
  /** Metric, service and instance names (they are indexed). */
  nameLength: 255,
  /** Span names (per-name rollups index them: 512 characters fit a B-tree entry in any script). */
  spanNameLength: 512,
  attributeKeyLength: 1024,
  /** Characters of one string value, anywhere inside an attribute, body or status message. */
  stringLength: 65_536,
  /** Arrays and key-value lists inside AnyValue, nested. */
  anyValueDepth: 16,
} as const;

export const tooDeep = `AnyValue nests arrays or key-value lists more than ${limits.anyValueDepth} deep`;

/** The largest value of PostgreSQL's bigint, where nanosecond times are stored. */
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * Text PostgreSQL can store: NUL and unpaired UTF-16 surrogates (possible in JSON escapes) become
 * U+FFFD, as a UTF-8 decoder does with bytes it cannot read.
 */
export function storableText(value: string): string {
  if (value.isWellFormed() && !value.includes("\0")) return value;
  return value.toWellFormed().replaceAll("\0", "\uFFFD");
}

function valueProblem(value: AttributeValue, path: string): string | null {
  if (typeof value === "string")
    return value.length > limits.stringLength
      ? `${path} is longer than ${limits.stringLength} characters`
      : null;
  if (value === null || typeof value !== "object") return null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const problem = valueProblem(item, path);
      if (problem) return problem;
    }
    return null;
  }
  return attributesProblem(value, path);
}

/** Why a set of attributes cannot be stored (a key or a string too long), or null. */
export function attributesProblem(attributes: Attributes, path = "attribute"): string | null {
  for (const key in attributes) {
    if (key.length > limits.attributeKeyLength)
      return `an ${path} key is longer than ${limits.attributeKeyLength} characters`;
    const problem = valueProblem(attributes[key] as AttributeValue, `${path} "${key}"`);
    if (problem) return problem;
  }
  return null;
}
