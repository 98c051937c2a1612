import { describe, expect, it } from "vitest";
import {
  jobOf,
  prometheusName,
  sanitizeLabelName,
  sanitizeMetricName,
  unitSuffix,
} from "./naming.ts";

// The OpenTelemetry specification's Prometheus compatibility rules, case by case.

describe("OpenTelemetry names as Prometheus names", () => {
  it.each([
    [
      { name: "http.server.request.duration", unit: "s", type: 3, monotonic: false },
      "http_server_request_duration_seconds",
    ],
    [{ name: "orders.placed", unit: "{order}", type: 2, monotonic: true }, "orders_placed_total"],
    [{ name: "requests_total", unit: "", type: 2, monotonic: true }, "requests_total"],
    [{ name: "queue.depth", unit: "{item}", type: 2, monotonic: false }, "queue_depth"],
    [
      { name: "process.memory.usage", unit: "By", type: 1, monotonic: false },
      "process_memory_usage_bytes",
    ],
    [
      { name: "system.cpu.utilization", unit: "1", type: 1, monotonic: false },
      "system_cpu_utilization_ratio",
    ],
    [
      { name: "system.network.io", unit: "By", type: 2, monotonic: true },
      "system_network_io_bytes_total",
    ],
    [
      { name: "throughput", unit: "By/s", type: 1, monotonic: false },
      "throughput_bytes_per_second",
    ],
    [{ name: "latency_seconds", unit: "s", type: 3, monotonic: false }, "latency_seconds"],
    [{ name: "2xx.responses", unit: "", type: 1, monotonic: false }, "_2xx_responses"],
    [{ name: "temp", unit: "Cel", type: 1, monotonic: false }, "temp_celsius"],
    [
      { name: "odd", unit: "furlong/fortnight", type: 1, monotonic: false },
      "odd_furlong_per_fortnight",
    ],
  ])("%o is %s", (metric, expected) => {
    expect(prometheusName(metric)).toBe(expected);
  });

  it("sanitizes names and label names, folding runs of underscores in names", () => {
    expect(sanitizeMetricName("a..b-c")).toBe("a_b_c");
    expect(sanitizeLabelName("http.route")).toBe("http_route");
    expect(sanitizeLabelName("0day")).toBe("key_0day");
    expect(sanitizeLabelName("_private")).toBe("key_private");
    expect(sanitizeLabelName("__reserved")).toBe("__reserved");
  });

  it("adds a unit once, and ratio only for gauges", () => {
    expect(unitSuffix("1", true)).toBe("ratio");
    expect(unitSuffix("1", false)).toBe("");
    expect(unitSuffix("1/s", true)).toBe("per_second");
    expect(unitSuffix("{request}", true)).toBe("");
  });

  it("makes job of namespace and name", () => {
    expect(jobOf("checkout", "shop")).toBe("shop/checkout");
    expect(jobOf("checkout", undefined)).toBe("checkout");
  });
});
