import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setupIngest } from "../../testing/ingest-setup.ts";
import { sendOtlpJson } from "../../testing/otlp-send.ts";
import { serviceMap } from "../service-map/service-map.ts";
import { serviceDetail } from "../services/service-detail.ts";
import { projectOverview } from "./overview.ts";
import { windowFor } from "./time-range.ts";

// A fresh project with two minutes of steady traffic, 10 requests a second: "Last hour" must
// read 10/s, not 10 × 2 / 60 — rates are over the part of the range that has data.

const setup = setupIngest();
const RATE = 10;
const SECONDS = 120;
const INTERVAL = 10;

const resource = (service: string) => ({
  attributes: [{ key: "service.name", value: { stringValue: service } }],
});

/** checkout's request histogram as an SDK exports it: a delta point every 10 s. */
function histogramBody(startMs: number) {
  const points = Array.from({ length: SECONDS / INTERVAL }, (_, i) => {
    const start = BigInt(startMs + i * INTERVAL * 1000) * 1_000_000n;
    const count = RATE * INTERVAL;
    return {
      startTimeUnixNano: String(start),
      timeUnixNano: String(start + BigInt(INTERVAL) * 1_000_000_000n),
      count: String(count),
      sum: count * 0.02,
      explicitBounds: [0.01, 0.05, 0.1],
      bucketCounts: ["0", String(count), "0", "0"],
      attributes: [
        { key: "http.route", value: { stringValue: "/cart" } },
        { key: "http.response.status_code", value: { intValue: "200" } },
      ],
    };
  });
  return {
    resourceMetrics: [
      {
        resource: resource("checkout"),
        scopeMetrics: [
          {
            metrics: [
              {
                name: "http.server.request.duration",
                unit: "s",
                histogram: { aggregationTemporality: 1, dataPoints: points },
              },
            ],
          },
        ],
      },
    ],
  };
}

/** Each request's call from checkout to payments, as two spans in two services. */
function spansBody(startMs: number) {
  const callers: unknown[] = [];
  const callees: unknown[] = [];
  for (let i = 0; i < RATE * SECONDS; i++) {
    const traceId = randomBytes(16).toString("hex");
    const clientId = randomBytes(8).toString("hex");
    const start = BigInt(startMs) * 1_000_000n + BigInt(i) * (1_000_000_000n / BigInt(RATE));
    const span = {
      traceId,
      startTimeUnixNano: String(start),
      endTimeUnixNano: String(start + 5_000_000n),
    };
    callers.push({ ...span, spanId: clientId, name: "POST /charge", kind: 3 });
    callees.push({
      ...span,
      spanId: randomBytes(8).toString("hex"),
      parentSpanId: clientId,
      name: "POST /charge",
      kind: 2,
    });
  }
  return {
    resourceSpans: [
      { resource: resource("checkout"), scopeSpans: [{ spans: callers }] },
      { resource: resource("payments"), scopeSpans: [{ spans: callees }] },
    ],
  };
}

describe("rates on a range only partly covered by data", () => {
  it("are per second of the data, on the overview, the service page and the map", {
    timeout: 60_000,
  }, async () => {
    const startMs = Date.now() - SECONDS * 1000;
    await sendOtlpJson(setup.url, setup.ingestKey, "metrics", histogramBody(startMs));
    await sendOtlpJson(setup.url, setup.ingestKey, "traces", spansBody(startMs));
    const window = windowFor("1h");

    const overview = await projectOverview(setup.projectId, window);
    const checkout = overview.services.find((service) => service.service === "checkout");
    expect(checkout?.requests).toBe(RATE * SECONDS);
    expect(checkout?.rate).toBeCloseTo(RATE, 0);
    expect(checkout?.coveredSeconds).toBeCloseTo(SECONDS, -1);

    const detail = await serviceDetail(setup.projectId, "checkout", window);
    expect(detail.red?.rate).toBeCloseTo(RATE, 0);
    expect(detail.routes.find((route) => route.route === "/cart")?.rate).toBeCloseTo(RATE, 0);
    expect(detail.dependencies.find((edge) => edge.callee === "payments")?.rate).toBeCloseTo(
      RATE,
      0,
    );

    const map = await serviceMap(setup.projectId, window);
    const edge = map.edges.find((candidate) => candidate.callee === "payments");
    expect(edge?.calls).toBe(RATE * SECONDS);
    expect(edge?.rate).toBeCloseTo(RATE, 0);
    expect(map.coverage.partial).toBe(true);
  });
});
