import { describe, expect, it } from "vitest";
import { gradeAbove, gradeBelow } from "./grades.ts";
import { rangeParams, stepFor, windowFor, windowFromSearch } from "./time-range.ts";

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

  it("uses whole-minute and whole-hour steps, so long ranges read rollups", () => {
    expect(["15m", "1h", "6h", "24h", "7d"].map((range) => windowFor(range, 0).stepMs)).toEqual([
      30_000, 120_000, 900_000, 3_600_000, 21_600_000,
    ]);
    expect(stepFor(90 * 86_400_000)).toBe(86_400_000);
  });
});

describe("windowFromSearch", () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  it("takes a custom from and to, widened to whole steps, and reproduces it as parameters", () => {
    const from = Date.UTC(2026, 10, 23, 9, 7, 30);
    const to = Date.UTC(2026, 10, 23, 10, 3, 0);
    const { window, problem } = windowFromSearch(
      { from: String(from), to: "2026-11-23T10:03:00Z" },
      now,
    );
    expect(problem).toBeNull();
    expect(window).toEqual({
      range: "custom",
      stepMs: 120_000,
      fromMs: Date.UTC(2026, 10, 23, 9, 6, 0),
      toMs: Date.UTC(2026, 10, 23, 10, 4, 0),
      nowMs: now,
    });
    expect(to).toBeLessThan(window.toMs);
    expect(windowFromSearch(rangeParams(window), now).window).toEqual(window);
    expect(rangeParams(windowFor("6h", now))).toEqual({ range: "6h" });
  });

  it("says what is wrong with a custom range and falls back to the preset", () => {
    const cases = [
      [{ from: "yesterday", to: "1" }, "from must be a date and time"],
      [{ from: "1000", to: "soon" }, "to must be a date and time"],
      [{ from: "5000", to: "1000" }, "must end after it starts"],
      [{ from: "0", to: String(100 * 86_400_000) }, "at most 90 days"],
    ] as const;
    for (const [search, message] of cases) {
      const { window, problem } = windowFromSearch({ ...search, range: "6h" }, now);
      expect(problem).toContain(message);
      expect(window.range).toBe("6h");
    }
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
