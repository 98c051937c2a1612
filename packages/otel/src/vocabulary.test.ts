import { describe, expect, it } from "vitest";
import { businessMetricName, isBusinessMetric } from "./vocabulary.ts";

describe("business metric names", () => {
  it("recognises the business. namespace and nothing else", () => {
    expect(isBusinessMetric("business.signups")).toBe(true);
    expect(isBusinessMetric("business.")).toBe(false);
    expect(isBusinessMetric("businesses.count")).toBe(false);
    expect(isBusinessMetric("http.server.request.duration")).toBe(false);
  });

  it("puts short names into the namespace once", () => {
    expect(businessMetricName("revenue")).toBe("business.revenue");
    expect(businessMetricName("business.revenue")).toBe("business.revenue");
  });
});
