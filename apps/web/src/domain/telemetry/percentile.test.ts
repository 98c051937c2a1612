import { describe, expect, it } from "vitest";
import { histogramQuantile } from "./percentile.ts";

describe("histogramQuantile", () => {
  // Buckets: ≤0.1: 10, ≤0.5: 80, ≤1: 8, >1: 2 (100 observations).
  const bounds = [0.1, 0.5, 1];
  const counts = [10, 80, 8, 2];

  it("interpolates within the bucket the rank falls in", () => {
    expect(histogramQuantile(0.5, bounds, counts)).toBeCloseTo(0.1 + 0.4 * (40 / 80));
    expect(histogramQuantile(0.95, bounds, counts)).toBeCloseTo(0.5 + 0.5 * (5 / 8));
  });

  it("uses the recorded maximum for the open last bucket, and the minimum for the first", () => {
    expect(histogramQuantile(0.99, bounds, counts, 0.01, 3)).toBeCloseTo(1 + 2 * (1 / 2));
    expect(histogramQuantile(0.05, bounds, counts, 0.02, 3)).toBeCloseTo(0.02 + 0.08 * 0.5);
  });

  it("has no answer without observations or with mismatched buckets", () => {
    expect(histogramQuantile(0.5, bounds, [0, 0, 0, 0])).toBeNull();
    expect(histogramQuantile(0.5, bounds, [1, 2])).toBeNull();
  });
});
