import { randomBytes } from "node:crypto";

// The storage benchmark's reference mix, as OTLP/JSON requests shaped like the demo shop's
// telemetry (measured on a five-minute demo run): traces of six spans across five services with
// ten attributes a span and an exception event on 2 % of them; metrics every 10 s, 40 % gauges,
// 30 % monotonic sums, 5 % up-down sums and 25 % histograms with 14 bounds, all cumulative.

const SERVICES = ["gateway", "users", "products", "orders", "payments"] as const;
const BOUNDS = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500];
const INTERVAL_NS = 10_000_000_000n;

type KeyValue = { key: string; value: Record<string, unknown> };
const kv = (key: string, value: string | number): KeyValue => ({
  key,
  value:
    typeof value === "string"
      ? { stringValue: value }
      : Number.isInteger(value)
        ? { intValue: String(value) }
        : { doubleValue: value },
});
const resource = (service: string, instance: number) => ({
  attributes: [
    kv("service.name", service),
    kv("service.instance.id", `${service}-${instance}`),
    kv("service.version", "1.4.2"),
    kv("deployment.environment.name", "production"),
  ],
});
const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** One span of the mix; `i` varies routes, statuses and addresses the way real traffic does. */
function span(
  traceId: string,
  parent: string | null,
  name: string,
  kind: number,
  startNs: bigint,
  i: number,
) {
  const failed = i % 100 === 0;
  const durationNs = BigInt(200_000 + ((i * 7919) % 40_000_000));
  const attributes =
    kind === 3 && name.startsWith("pg")
      ? [
          kv("db.system.name", "postgresql"),
          kv("db.namespace", "shop"),
          kv("db.operation.name", "SELECT"),
          kv("db.collection.name", "products"),
          kv("db.query.text", "SELECT id, name, price FROM products WHERE id = $1"),
          kv("server.address", "10.0.3.12"),
          kv("server.port", 5432),
          kv("network.peer.address", "10.0.3.12"),
          kv("network.peer.port", 5432),
          kv("db.response.returned_rows", 1 + (i % 20)),
        ]
      : [
          kv("http.request.method", i % 5 === 0 ? "POST" : "GET"),
          kv("http.route", `/api/products/:id`),
          kv("url.path", `/api/products/${i % 400}`),
          kv("url.scheme", "http"),
          kv("http.response.status_code", failed ? 500 : 200),
          kv("server.address", "10.0.1.7"),
          kv("server.port", 8080),
          kv("network.protocol.version", "1.1"),
          kv("client.address", `10.0.${i % 16}.${(i * 13) % 250}`),
          kv("user_agent.original", "shop-web/3.2 (linux)"),
        ];
  return {
    traceId,
    spanId: hex(8),
    ...(parent ? { parentSpanId: parent } : {}),
    name,
    kind,
    startTimeUnixNano: String(startNs),
    endTimeUnixNano: String(startNs + durationNs),
    attributes,
    ...(i % 50 === 7
      ? {
          events: [
            {
              name: "exception",
              timeUnixNano: String(startNs + durationNs / 2n),
              attributes: [
                kv("exception.type", "TimeoutError"),
                kv("exception.message", "upstream did not answer in 2500 ms"),
              ],
            },
          ],
        }
      : {}),
    status: failed ? { code: 2, message: "Internal Server Error" } : {},
  };
}

/**
 * `traces` traces of six spans (gateway → users, products and its database, orders → payments),
 * one every `gapNs` from `fromNs`.
 */
export function traceRequests(
  traces: number,
  perRequest: number,
  fromNs: bigint,
  gapNs: bigint,
): string[] {
  const bodies: string[] = [];
  for (let first = 0; first < traces; first += perRequest) {
    const byService = new Map<string, ReturnType<typeof span>[]>();
    const add = (service: string, s: ReturnType<typeof span>) =>
      byService.set(service, [...(byService.get(service) ?? []), s]);
    for (let t = first; t < Math.min(traces, first + perRequest); t++) {
      const traceId = hex(16);
      const at = fromNs + BigInt(t) * gapNs;
      const root = span(traceId, null, "GET /api/products/:id", 2, at, t);
      add("gateway", root);
      const call = span(traceId, root.spanId, "GET", 3, at + 100_000n, t + 1);
      add("gateway", call);
      add("users", span(traceId, root.spanId, "GET /users/:id", 2, at + 150_000n, t + 2));
      const server = span(traceId, call.spanId, "GET /products/:id", 2, at + 200_000n, t + 3);
      add("products", server);
      add("products", span(traceId, server.spanId, "pg.query:SELECT", 3, at + 250_000n, t + 4));
      add("orders", span(traceId, root.spanId, "orders process", 5, at + 300_000n, t + 5));
    }
    bodies.push(
      JSON.stringify({
        resourceSpans: [...byService].map(([service, spans]) => ({
          resource: resource(service, 1 + (first % 2)),
          scopeSpans: [{ scope: { name: "@opentelemetry/instrumentation-http" }, spans }],
        })),
      }),
    );
  }
  return bodies;
}

type SeriesKind = "gauge" | "counter" | "updown" | "histogram";
/** 40 % gauges, 30 % monotonic sums, 5 % up-down sums, 25 % histograms. */
const kindOf = (s: number): SeriesKind => {
  const slot = s % 20;
  return slot < 8 ? "gauge" : slot < 14 ? "counter" : slot < 15 ? "updown" : "histogram";
};

function dataPoint(s: number, round: number, startNs: bigint, timeNs: bigint) {
  const attributes = [
    kv("http.route", `/api/route/${Math.floor(s / 40)}`),
    kv("http.response.status_code", s % 9 === 0 ? 500 : 200),
  ];
  const kind = kindOf(s);
  const times = { startTimeUnixNano: String(startNs), timeUnixNano: String(timeNs) };
  if (kind === "gauge")
    return { attributes, ...times, asDouble: 20 + ((s * 37 + round * 11) % 600) / 10 };
  if (kind === "counter") return { attributes, ...times, asInt: String(round * (3 + (s % 17))) };
  if (kind === "updown") return { attributes, ...times, asInt: String(10 + ((s + round) % 7)) };
  const count = round * (4 + (s % 11));
  const bucketCounts = BOUNDS.map((_, b) => Math.floor(count / 2 ** (Math.abs(b - 6) + 1)));
  bucketCounts.push(count - bucketCounts.reduce((a, b) => a + b, 0));
  return {
    attributes,
    ...times,
    count: String(count),
    sum: count * 42.5,
    bucketCounts: bucketCounts.map(String),
    explicitBounds: BOUNDS,
  };
}

function metric(s: number, round: number, startNs: bigint, timeNs: bigint) {
  const point = dataPoint(s, round, startNs, timeNs);
  const kind = kindOf(s);
  const name = `shop.${kind}.${s % 40}`;
  if (kind === "gauge") return { name, unit: "1", gauge: { dataPoints: [point] } };
  if (kind === "histogram")
    return { name, unit: "ms", histogram: { dataPoints: [point], aggregationTemporality: 2 } };
  return {
    name,
    unit: "1",
    sum: { dataPoints: [point], aggregationTemporality: 2, isMonotonic: kind === "counter" },
  };
}

/**
 * `rounds` collections, 10 s apart, of `series` series spread over the five services, one
 * request per service and round (as an SDK exports them), ending at `endNs`.
 */
export function metricRequests(series: number, rounds: number, endNs: bigint): string[] {
  const startNs = endNs - BigInt(rounds + 1) * INTERVAL_NS;
  const bodies: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    const timeNs = startNs + BigInt(round) * INTERVAL_NS;
    for (const [index, service] of SERVICES.entries()) {
      const metrics = [];
      for (let s = index; s < series; s += SERVICES.length)
        metrics.push(metric(s, round, startNs, timeNs));
      bodies.push(
        JSON.stringify({
          resourceMetrics: [
            {
              resource: resource(service, 1),
              scopeMetrics: [{ scope: { name: "shop" }, metrics }],
            },
          ],
        }),
      );
    }
  }
  return bodies;
}
