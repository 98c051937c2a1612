import { LruCache } from "@vigil/db";
import { RE2JS } from "re2js";

// Compiled patterns: rules, silences and queries reuse a handful of them.
const compiled = new LruCache<string, RE2JS>(1000);

/**
 * An RE2 pattern compiled to match a whole value, as Prometheus and Alertmanager anchor label
 * regexes: linear time whatever the pattern or value. Throws when the pattern is not RE2.
 */
export function anchoredRegex(pattern: string): RE2JS {
  let regex = compiled.get(pattern);
  if (!regex) {
    regex = RE2JS.compile(`^(?:${pattern})$`);
    compiled.set(pattern, regex);
  }
  return regex;
}

export type LabelMatcher = { name: string; op: "=" | "!=" | "=~" | "!~"; value: string };

/** Whether a label's value (empty when the label is absent) satisfies a matcher. */
export function matchesValue(matcher: LabelMatcher, value: string): boolean {
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return anchoredRegex(matcher.value).matches(value);
    case "!~":
      return !anchoredRegex(matcher.value).matches(value);
  }
}
