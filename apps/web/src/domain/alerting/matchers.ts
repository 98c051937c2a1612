import {
  anchoredRegex as anchored,
  type LabelMatcher,
  matchesValue,
} from "../../lib/label-match.ts";
import type { Labels } from "./alertmanager-payload.ts";

// Label matchers as Alertmanager writes them: name=value, name!=value, name=~regex, name!~regex.
// A regex is RE2 (linear time whatever the pattern or value, `(?i)` for case-insensitive) and
// matches the whole value; a missing label matches as the empty string.

export type Matcher = LabelMatcher;

const MATCHER = /^\s*([A-Za-z_][A-Za-z0-9_.]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/;

/** One matcher from its text; the error names what is wrong with it. */
export function parseMatcher(text: string): Matcher {
  const match = MATCHER.exec(text);
  if (!match) {
    throw new Error(
      `"${text}" is not a matcher; write name=value, name!=value, name=~regex or name!~regex`,
    );
  }
  const [, name, op, raw] = match as unknown as [string, string, Matcher["op"], string];
  const value = /^".*"$/.test(raw) ? (JSON.parse(raw) as string) : raw;
  if (op === "=~" || op === "!~") {
    try {
      anchored(value);
    } catch (error) {
      throw new Error(
        `"${text}": ${value} is not a valid RE2 regular expression (${(error as Error).message})`,
      );
    }
  }
  return { name, op, value };
}

export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.op}${matcher.value}`;
}

function matchOne(matcher: Matcher, labels: Labels): boolean {
  return matchesValue(matcher, labels[matcher.name] ?? "");
}

/** Whether every matcher holds for the labels (an empty list matches everything). */
export function matchesAll(matchers: Matcher[], labels: Labels): boolean {
  return matchers.every((matcher) => matchOne(matcher, labels));
}
