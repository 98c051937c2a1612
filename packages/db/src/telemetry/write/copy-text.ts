// PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL, backslash escapes.

const SPECIAL = /[\\\t\n\r]/;

export function copyText(value: string): string {
  if (!SPECIAL.test(value)) return value;
  return value
    .replace(/\\/g, "\\\\")
    .replace(/\t/g, "\\t")
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r");
}

export const NULL = "\\N";

/** bytea in COPY text: hex format, with the backslash itself escaped. */
export function copyBytea(hex: string): string {
  return `\\\\x${hex}`;
}

export function copyJson(value: unknown): string {
  return copyText(JSON.stringify(value));
}
