import { randomBytes } from "node:crypto";

// OTLP/JSON bodies that a hostile or careless sender can produce, each holding one value that
// PostgreSQL or the decoder cannot take as it is. Bodies are text: a lone surrogate must reach
// the server as the JSON escape it is, which JSON.stringify would also write, but readers of
// this file should see it.

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const nowNs = () => BigInt(Date.now()) * 1_000_000n;
const U64_MAX = "18446744073709551615";

const resource = (service: string) => ({
  attributes: [{ key: "service.name", value: { stringValue: service } }],
});

function spanBody(service: string, span: Record<string, unknown>): string {
  const start = nowNs() - 1_000_000n;
  return JSON.stringify({
    resourceSpans: [
      {
        resource: resource(service),
        scopeSpans: [
          {
            spans: [
              {
                traceId: hex(16),
                spanId: hex(8),
                name: "hostile",
                kind: 2,
                startTimeUnixNano: String(start),
                endTimeUnixNano: String(start + 1_000_000n),
                ...span,
              },
            ],
          },
        ],
      },
    ],
  });
}

function gaugeBody(service: string, name: string, point: Record<string, unknown>): string {
  return JSON.stringify({
    resourceMetrics: [
      {
        resource: resource(service),
        scopeMetrics: [
          {
            metrics: [
              { name, gauge: { dataPoints: [{ timeUnixNano: String(nowNs()), ...point }] } },
            ],
          },
        ],
      },
    ],
  });
}

/** An AnyValue holding arrays inside arrays, `depth` deep, as JSON text (too deep to stringify). */
export function nestedAnyValueJson(depth: number): string {
  const open = '{"arrayValue":{"values":['.repeat(depth);
  return `${open}{"stringValue":"bottom"}${"]}}".repeat(depth)}`;
}

const randomName = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("");

export type HostileBody = { what: string; signal: "traces" | "metrics"; body: string };

/** One body for each value that once failed a whole batch or a whole request. */
export function hostileBodies(): HostileBody[] {
  return [
    { what: "a span name with NUL", signal: "traces", body: spanBody("svc", { name: "a\u0000b" }) },
    {
      what: "a lone surrogate in an attribute",
      signal: "traces",
      body: spanBody("svc", {
        attributes: [{ key: "k", value: { stringValue: "x" } }],
      }).replace('"stringValue":"x"', '"stringValue":"x\\ud800y"'),
    },
    {
      what: "an end time of 2^64-1",
      signal: "traces",
      body: spanBody("svc", { endTimeUnixNano: U64_MAX }),
    },
    {
      what: "an end time of 2^63",
      signal: "traces",
      body: spanBody("svc", { endTimeUnixNano: "9223372036854775808" }),
    },
    {
      what: "a metric start time of 2^64-1",
      signal: "metrics",
      body: gaugeBody("svc", "hostile.gauge", { startTimeUnixNano: U64_MAX, asDouble: 1 }),
    },
    {
      what: "a 10,000-character metric name",
      signal: "metrics",
      body: gaugeBody("svc", randomName(10_000), { asDouble: 1 }),
    },
    {
      what: "a 10,000-character service name",
      signal: "traces",
      body: spanBody(randomName(10_000), {}),
    },
    {
      what: "an AnyValue 3,000 deep",
      signal: "traces",
      body: spanBody("svc", { attributes: [{ key: "deep", value: { stringValue: "x" } }] }).replace(
        '{"stringValue":"x"}',
        nestedAnyValueJson(3_000),
      ),
    },
  ];
}
