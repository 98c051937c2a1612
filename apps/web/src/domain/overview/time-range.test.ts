import { describe, expect, it } from "vitest";
import { gradeAbove, gradeBelow } from "./grades.ts";
import { windowFor } from "./time-range.ts";

describe("windowFor", () => {
  it("ends at the next whole step and spans the named range in about 30 steps", () => {
    const now = Date.UTC(2026, 10, 23, 10, 0, 7);
    expect(windowFor("1h", now)).toEqual({
      range: "1h",
      stepMs: 120_000,
      toMs: Date.UTC(2026, 10, 23, 10, 2, 0),
      fromMs: Date.UTC(2026, 10, 23, 9, 2, 0),
      nowMs: now,
    });
  });

  it("gives the same window for the same URL within a step", () => {
    const now = Date.UTC(2026, 10, 23, 10, 0, 1);
    const { nowMs: _first, ...first } = windowFor("24h", now);
    const { nowMs: _later, ...later } = windowFor("24h", now + 60_000);
    expect(later).toEqual(first);
  });

  it("falls back to the last hour for a range it does not know", () => {
    expect(windowFor("3 weeks", 0).range).toBe("1h");
    expect(windowFor(undefined, 0).range).toBe("1h");
  });
});

describe("grades", () => {
  const limits = { warning: 5, bad: 30 };
  it("grades values above and below thresholds, and unknown without a value", () => {
    expect([1, 6, 31].map((v) => gradeAbove(v, limits))).toEqual(["good", "warning", "bad"]);
    expect([0.9, 0.7, 0.4].map((v) => gradeBelow(v, { warning: 0.8, bad: 0.5 }))).toEqual([
      "good",
      "warning",
      "bad",
    ]);
    expect(gradeAbove(null, limits)).toBe("unknown");
  });
});
