import { describe, expect, it } from "vitest";
import { balanceOf } from "./scaling.ts";

const shard = (id: string, rows: number | null, bytes: number | null = null) => ({
  shard: id,
  rows,
  bytes,
  requests: 0,
});

describe("balanceOf", () => {
  it("gives max ÷ mean, the coefficient of variation and the largest shard by rows", () => {
    const balance = balanceOf([shard("a", 100), shard("b", 300)]);
    expect(balance.skew).toBeCloseTo(1.5);
    expect(balance.cv).toBeCloseTo(0.5);
    expect(balance.largest).toBe("b");
  });

  it("uses bytes when no shard reports rows, and is even for equal shards", () => {
    expect(balanceOf([shard("a", null, 10), shard("b", null, 10)])).toEqual({
      skew: 1,
      cv: 0,
      largest: "a",
    });
  });

  it("has no balance without sizes", () => {
    expect(balanceOf([shard("a", null), shard("b", 0)])).toEqual({
      skew: null,
      cv: null,
      largest: null,
    });
  });
});
