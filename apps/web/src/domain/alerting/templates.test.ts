import { describe, expect, it } from "vitest";
import { checkTemplate, expandTemplate, humanize, humanizeDuration } from "./templates.ts";

describe("rule templates", () => {
  it("humanizes as Prometheus does", () => {
    expect([1234, 1_500_000, 0.005, 0.25, 0, 3].map(humanize)).toEqual([
      "1.234k",
      "1.5M",
      "5m",
      "250m",
      "0",
      "3",
    ]);
    expect([90_061, 3_700, 61, 1.5, 0.25, 0].map(humanizeDuration)).toEqual([
      "1d 1h 1m 1s",
      "1h 1m 40s",
      "1m 1s",
      "1.5s",
      "250ms",
      "0s",
    ]);
  });

  it("expands labels and values, piped or called", () => {
    const labels = { job: "api", bytes: "2048" };
    expect(
      expandTemplate(
        "{{ $labels.job }}: {{ $value | humanize }} / {{ humanizePercentage $value }}",
        labels,
        0.125,
      ),
    ).toBe("api: 125m / 12.5%");
    expect(expandTemplate("{{ $labels.bytes | humanize }}", labels, null)).toBe("2.048k");
  });

  it("refuses functions it does not know, naming the placeholder", () => {
    expect(() => checkTemplate("{{ $value | printf }}")).toThrow(
      "{{ $value | printf }} is not a template Vigil knows",
    );
    expect(() => checkTemplate("{{ .Value }}")).toThrow(
      "{{ .Value }} is not a template Vigil knows",
    );
  });
});
