import type { Labels } from "./alertmanager-payload.ts";
import { formatValue } from "./format.ts";

// Label and annotation templates: {{ $labels.<name> }} and {{ $value }}, as in Prometheus rules.

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const LABEL = /^\$labels\.([A-Za-z_][A-Za-z0-9_.]*)$/;

/** Throws, naming the placeholder, if the text uses anything but $labels.<name> and $value. */
export function checkTemplate(text: string): void {
  for (const [whole, inner] of text.matchAll(PLACEHOLDER)) {
    if (inner !== "$value" && !LABEL.test(inner ?? "")) {
      throw new Error(
        `${whole} is not a template Vigil knows; use {{ $labels.<name> }} or {{ $value }}`,
      );
    }
  }
}

export function expandTemplate(text: string, labels: Labels, value: number | null): string {
  return text.replace(PLACEHOLDER, (_whole, inner: string) => {
    if (inner === "$value") return formatValue(value);
    const name = LABEL.exec(inner)?.[1];
    return name ? (labels[name] ?? "") : "";
  });
}

export function expandAll(templates: Labels, labels: Labels, value: number | null): Labels {
  return Object.fromEntries(
    Object.entries(templates).map(([key, text]) => [key, expandTemplate(text, labels, value)]),
  );
}
