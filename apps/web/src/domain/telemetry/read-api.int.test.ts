import { randomBytes } from "node:crypto";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as logsRoute } from "../../app/api/v1/logs/route.ts";
import { GET as metricsRoute } from "../../app/api/v1/metrics/query/route.ts";
import { GET as servicesRoute } from "../../app/api/v1/services/route.ts";
import { GET as tracesRoute } from "../../app/api/v1/traces/route.ts";
import { startControlPlane } from "../../testing/control-plane.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { createApiKey } from "../keys/api-keys.ts";

setupTestDatabase();

let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let ingestKey: string;
let readKey: string;
// A whole minute ten minutes ago, so steps line up with it.
const t0Ms = Math.floor(Date.now() / 60_000) * 60_000 - 600_000;
const ns = (offsetMs: number) => (BigInt(t0Ms + offsetMs) * 1_000_000n).toString();

async function send(path: string, body: unknown) {
  const response = await fetch(`${controlPlane.url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(200);
}

const resource = (service: string) => ({
  attributes: [{ key: "service.name", value: { stringValue: service } }],
});
const point = (offsetMs: number, fields: object) => ({
  startTimeUnixNano: ns(offsetMs - 1000),
  timeUnixNano: ns(offsetMs),
  ...fields,
});

beforeAll(async () => {
  controlPlane = await startControlPlane();
  const { projectId } = await createOrgWithProject();
  ingestKey = (await createApiKey({ projectId, name: "agent", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "reader", scope: "read" })).secret;
  await send("/v1/metrics", {
    resourceMetrics: [
      {
        resource: resource("shop"),
        scopeMetrics: [
          {
            metrics: [
              {
                name: "business.orders",
                sum: {
                  aggregationTemporality: 1,
                  isMonotonic: true,
                  dataPoints: [point(10_000, { asInt: "5" }), point(70_000, { asInt: "3" })],
                },
              },
              {
                name: "process.memory.usage",
                unit: "By",
                gauge: {
                  dataPoints: [point(10_000, { asDouble: 100 }), point(20_000, { asDouble: 80 })],
                },
              },
              {
                name: "rpc.server.duration",
                summary: {
                  dataPoints: [
                    point(40_000, {
                      count: "10",
                      sum: 4.5,
                      quantileValues: [
                        { quantile: 0.5, value: 0.4 },
                        { quantile: 0.99, value: 1.1 },
                      ],
                    }),
                  ],
                },
              },
              {
                name: "queue.depth",
                gauge: {
                  dataPoints: [
                    point(10_000, {
                      asDouble: 12,
                      attributes: [{ key: "region", value: { stringValue: "eu" } }],
                    }),
                    point(10_000, {
                      asDouble: 30,
                      attributes: [{ key: "region", value: { stringValue: "us" } }],
                    }),
                  ],
                },
              },
              {
                name: "http.server.request.duration",
                unit: "s",
                histogram: {
                  aggregationTemporality: 1,
                  dataPoints: [
                    point(30_000, {
                      count: "100",
                      sum: 40,
                      bucketCounts: ["10", "80", "10"],
                      explicitBounds: [0.1, 1],
                    }),
                  ],
                },
              },
            ],
          },
        ],
      },
    ],
  });
  const span = (
    traceId: string,
    name: string,
    offsetMs: number,
    durationMs: number,
    status = 0,
    attributes: unknown[] = [],
  ) => ({
    traceId,
    spanId: randomBytes(8).toString("hex"),
    name,
    attributes,
    startTimeUnixNano: ns(offsetMs),
    endTimeUnixNano: ns(offsetMs + durationMs),
    status: { code: status },
  });
  const [slow, failed, quick] = [
    randomBytes(16).toString("hex"),
    randomBytes(16).toString("hex"),
    randomBytes(16).toString("hex"),
  ];
  const log = (offsetMs: number, severityNumber: number, body: string, traceId?: string) => ({
    timeUnixNano: ns(offsetMs),
    severityNumber,
    body: { stringValue: body },
    ...(traceId ? { traceId } : {}),
  });
  await send("/v1/logs", {
    resourceLogs: [
      {
        resource: resource("shop"),
        scopeLogs: [
          {
            logRecords: [
              log(1000, 9, "order 17 placed"),
              log(2000, 17, "payment 17 declined", "0af7651916cd43dd8448eb211c80319c"),
            ],
          },
        ],
      },
      {
        resource: resource("payments"),
        scopeLogs: [{ logRecords: [log(3000, 13, "gateway slow")] }],
      },
    ],
  });
  await send("/v1/traces", {
    resourceSpans: [
      {
        resource: resource("shop"),
        scopeSpans: [
          {
            spans: [
              span(slow, "GET /slow", 1000, 500, 0, [
                { key: "order.id", value: { intValue: "42" } },
              ]),
              span(quick, "GET /quick", 3000, 5),
            ],
          },
        ],
      },
      {
        resource: resource("payments"),
        scopeSpans: [{ spans: [span(failed, "POST /pay", 2000, 50, 2)] }],
      },
    ],
  });
});
afterAll(() => controlPlane.close());

async function get(route: (request: Request) => Promise<Response>, path: string) {
  const response = await route(
    new Request(`http://vigil.test${path}`, { headers: { authorization: `Bearer ${readKey}` } }),
  );
  return { status: response.status, body: await response.json() };
}

const range = `from=${t0Ms}&to=${t0Ms + 120_000}&step=60s`;

describe("the read API", () => {
  it("lists the services that sent telemetry, with their instances", async () => {
    const { status, body } = await get(servicesRoute, "/api/v1/services");
    expect(status).toBe(200);
    expect(body.services.map((service: { name: string }) => service.name)).toEqual([
      "payments",
      "shop",
    ]);
    expect(body.services[1].instances).toHaveLength(1);
  });

  it("aggregates a counter per step: sum and per-second rate", async () => {
    const sum = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=business.orders&${range}&agg=sum`,
    );
    expect(sum.status).toBe(200);
    expect(sum.body).toMatchObject({ type: "sum", agg: "sum", stepMs: 60_000 });
    expect(sum.body.points.map((p: { value: number }) => p.value)).toEqual([5, 3]);
    expect(sum.body.points[0].time).toBe(new Date(t0Ms).toISOString());
    const rate = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=business.orders&${range}&agg=rate&service=shop`,
    );
    expect(rate.body.points.map((p: { value: number }) => p.value)).toEqual([5 / 60, 3 / 60]);
  });

  it("aggregates a gauge: avg, min, max", async () => {
    for (const [agg, expected] of [
      ["avg", 90],
      ["min", 80],
      ["max", 100],
    ] as const) {
      const { body } = await get(
        metricsRoute,
        `/api/v1/metrics/query?name=process.memory.usage&${range}&agg=${agg}`,
      );
      expect(body.points.map((p: { value: number }) => p.value)).toEqual([expected]);
    }
  });

  it("computes percentiles, averages and request rates from histogram buckets", async () => {
    const at = async (agg: string) =>
      (
        await get(
          metricsRoute,
          `/api/v1/metrics/query?name=http.server.request.duration&${range}&agg=${agg}`,
        )
      ).body.points[0].value;
    expect(await at("p50")).toBeCloseTo(0.1 + 0.9 * (40 / 80));
    expect(await at("avg")).toBeCloseTo(0.4);
    expect(await at("rate")).toBeCloseTo(100 / 60);
  });

  it("filters series by attribute and splits them into groups", async () => {
    const grouped = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=queue.depth&${range}&agg=max&groupBy=region`,
    );
    expect(grouped.status).toBe(200);
    expect(grouped.body).not.toHaveProperty("points");
    expect(
      grouped.body.series.map((s: { group: string; points: { value: number }[] }) => [
        s.group,
        s.points.map((p) => p.value),
      ]),
    ).toEqual([
      ["eu", [12]],
      ["us", [30]],
    ]);
    const filtered = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=queue.depth&${range}&agg=avg&attr.region=us`,
    );
    expect(filtered.body.where).toEqual({ region: "us" });
    expect(filtered.body.points.map((p: { value: number }) => p.value)).toEqual([30]);
    const byService = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=business.orders&${range}&agg=sum&groupBy=service.name`,
    );
    expect(byService.body.series).toMatchObject([{ group: "shop" }]);
    const none = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=queue.depth&${range}&attr.region=mars`,
    );
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe(
      "no metric named queue.depth with region=mars in this project",
    );
  });

  it("finds traces by operation and by span attribute, typed or as text", async () => {
    const ids = async (query: string) =>
      (
        await get(tracesRoute, `/api/v1/traces?from=${t0Ms}&to=${t0Ms + 120_000}&${query}`)
      ).body.traces.map((trace: { rootName: string }) => trace.rootName);
    expect(await ids("operation=POST%20%2Fpay")).toEqual(["POST /pay"]);
    expect(await ids("attr.order.id=42")).toEqual(["GET /slow"]);
    expect(await ids("attr.order.id=43")).toEqual([]);
    expect(await ids("attr.order.id=42&service=payments")).toEqual([]);
  });

  it("keeps summaries as sent: their average is sum over count", async () => {
    const { status, body } = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=rpc.server.duration&${range}&agg=avg`,
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ type: "summary" });
    expect(body.points.map((p: { value: number }) => p.value)).toEqual([0.45]);
    const rate = await get(
      metricsRoute,
      `/api/v1/metrics/query?name=rpc.server.duration&${range}&agg=rate`,
    );
    expect(rate.body.error.message).toMatch(
      /agg=rate needs a counter or histogram; rpc.server.duration is a summary/,
    );
  });

  it("answers bad queries with 400 and a message naming the parameter", async () => {
    const cases: [string, RegExp][] = [
      [`/api/v1/metrics/query?${range}`, /name is required/],
      [
        `/api/v1/metrics/query?name=business.orders&from=yesterday`,
        /from must be an RFC 3339 time/,
      ],
      [`/api/v1/metrics/query?name=business.orders&agg=p42`, /agg must be one of/],
      [`/api/v1/metrics/query?name=business.orders&step=1ms`, /step must be at least 1s/],
      [
        `/api/v1/metrics/query?name=process.memory.usage&${range}&agg=p95`,
        /needs an explicit-bucket histogram; process.memory.usage is a gauge/,
      ],
      [
        `/api/v1/metrics/query?name=business.orders&from=${t0Ms}&to=${t0Ms - 1}`,
        /to must be after from/,
      ],
    ];
    for (const [path, message] of cases) {
      const { status, body } = await get(metricsRoute, path);
      expect({ path, status }).toEqual({ path, status: 400 });
      expect(body.error.message).toMatch(message);
    }
    expect(
      (await get(metricsRoute, `/api/v1/metrics/query?name=no.such.metric&${range}`)).status,
    ).toBe(404);
  });

  it("finds traces by service, status and duration", async () => {
    const window = `from=${t0Ms}&to=${t0Ms + 60_000}`;
    const all = await get(tracesRoute, `/api/v1/traces?${window}`);
    expect(all.body.traces.map((t: { rootName: string }) => t.rootName)).toEqual([
      "GET /quick",
      "POST /pay",
      "GET /slow",
    ]);
    const shop = await get(tracesRoute, `/api/v1/traces?${window}&service=shop&minDurationMs=100`);
    expect(shop.body.traces).toMatchObject([
      { rootService: "shop", rootName: "GET /slow", durationMs: 500, spanCount: 1 },
    ]);
    const errors = await get(tracesRoute, `/api/v1/traces?${window}&status=error`);
    expect(errors.body.traces).toMatchObject([{ rootService: "payments", errorCount: 1 }]);
    expect((await get(tracesRoute, `/api/v1/traces?limit=0`)).body.error.message).toMatch(
      /limit must be 1–1000/,
    );
  });

  it("finds log records by service, least severity, trace and text, newest first", async () => {
    const window = `from=${t0Ms}&to=${t0Ms + 60_000}`;
    const bodies = async (query: string) =>
      (await get(logsRoute, `/api/v1/logs?${window}&${query}`)).body.logs.map(
        (log: { body: string }) => log.body,
      );
    expect(await bodies("")).toEqual(["gateway slow", "payment 17 declined", "order 17 placed"]);
    expect(await bodies("service=shop")).toEqual(["payment 17 declined", "order 17 placed"]);
    expect(await bodies("severity=warn")).toEqual(["gateway slow", "payment 17 declined"]);
    expect(await bodies("traceId=0AF7651916CD43DD8448EB211C80319C")).toEqual([
      "payment 17 declined",
    ]);
    expect(await bodies("q=17&limit=1")).toEqual(["payment 17 declined"]);
    const bad = await get(logsRoute, `/api/v1/logs?severity=loud&traceId=xyz`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(
      /severity must be trace, debug, info, warn, error or fatal[\s\S]*traceId must be 32 hex characters/,
    );
  });
});
