import { describe, expect, it } from "vitest";
import { parseDuration } from "./duration.ts";

describe("durations", () => {
  it("read Prometheus's units and their combinations", () => {
    expect(parseDuration("500ms")).toBe(500);
    expect(parseDuration("10s")).toBe(10_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("1d")).toBe(86_400_000);
    expect(parseDuration("2w")).toBe(14 * 86_400_000);
    expect(parseDuration("1y")).toBe(365 * 86_400_000);
    expect(parseDuration("1d12h")).toBe(36 * 3_600_000);
  });

  it("read Go's fractions and small units, as Consul clients send them", () => {
    expect(parseDuration("1.5s")).toBe(1500);
    expect(parseDuration("250000us")).toBe(250);
    expect(parseDuration("1000000ns")).toBe(1);
  });

  it("refuse what is not a duration", () => {
    for (const text of ["", "10", "soon", "1x", "1h foo", "-1s", 10])
      expect(parseDuration(text)).toBeNull();
  });
});
