import type { Labels } from "./alertmanager-payload.ts";

// Label matchers as Alertmanager writes them: name=value, name!=value, name=~regex, name!~regex.
// A regex matches the whole value, and a missing label matches as the empty string.

export type Matcher = { name: string; op: "=" | "!=" | "=~" | "!~"; value: string };

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
      new RegExp(`^(?:${value})$`);
    } catch {
      throw new Error(`"${text}": ${value} is not a valid regular expression`);
    }
  }
  return { name, op, value };
}

export function formatMatcher(matcher: Matcher): string {
  return `${matcher.name}${matcher.op}${matcher.value}`;
}

function matchOne(matcher: Matcher, labels: Labels): boolean {
  const value = labels[matcher.name] ?? "";
  switch (matcher.op) {
    case "=":
      return value === matcher.value;
    case "!=":
      return value !== matcher.value;
    case "=~":
      return new RegExp(`^(?:${matcher.value})$`).test(value);
    case "!~":
      return !new RegExp(`^(?:${matcher.value})$`).test(value);
  }
}

/** Whether every matcher holds for the labels (an empty list matches everything). */
export function matchesAll(matchers: Matcher[], labels: Labels): boolean {
  return matchers.every((matcher) => matchOne(matcher, labels));
}
