import { describe, expect, it } from "vitest";
import { matchesAll, parseMatcher } from "./matchers.ts";

describe("label matchers", () => {
  // With a backtracking engine (a+)+ against a run of a's ending in b takes time exponential in
  // the run's length: 28 a's took 10 s, 5,000 would never end. RE2 is linear, so this returns.
  it("evaluate a catastrophic pattern in linear time", () => {
    const matcher = parseMatcher("service=~(a+)+");
    expect(matchesAll([matcher], { service: `${"a".repeat(5_000)}b` })).toBe(false);
    expect(matchesAll([matcher], { service: "a".repeat(5_000) })).toBe(true);
  });

  it("match case-insensitively with (?i), and anchor at both ends as Alertmanager does", () => {
    const matcher = parseMatcher("service=~(?i)check.*");
    expect(matchesAll([matcher], { service: "CHECKOUT" })).toBe(true);
    expect(matchesAll([matcher], { service: "precheckout" })).toBe(false);
    expect(matchesAll([parseMatcher("env!~prod|stag")], { env: "production" })).toBe(true);
    expect(matchesAll([parseMatcher("env!~prod|stag")], { env: "prod" })).toBe(false);
  });

  it("refuse what RE2 does not accept, saying so", () => {
    expect(() => parseMatcher("service=~(?=lookahead)")).toThrow(
      /is not a valid RE2 regular expression \(error parsing regexp: invalid or unsupported Perl syntax/,
    );
    expect(() => parseMatcher("service=~(a")).toThrow(/missing closing \)/);
  });
});
