import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { queryMetricSeries } from "../domain/telemetry/metrics-query.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { type PrometheusServer, startPrometheus } from "../testing/prometheus.ts";

// A real Prometheus (Debian's 2.42) scrapes a test exporter every second and remote-writes what
// it scraped to Vigil with an ingest key: the samples answer PromQL through Vigil's Prometheus
// API and chart in Vigil's own metrics explorer (the query behind it).

setupTestDatabase();

let exporter: Server;
let scrapes = 0;
let prometheus: PrometheusServer;
let vigil: Awaited<ReturnType<typeof startControlPlane>>;
let projectId: string;
let readKey: string;

beforeAll(async () => {
  exporter = createServer((_req, res) => {
    scrapes++;
    res.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
    res.end(
      [
        "# HELP shop_orders_total Orders placed.",
        "# TYPE shop_orders_total counter",
        `shop_orders_total{region="eu"} ${scrapes * 3}`,
        `shop_orders_total{region="us"} ${scrapes * 5}`,
        "# HELP shop_cart_items Items in open carts.",
        "# TYPE shop_cart_items gauge",
        `shop_cart_items ${10 + (scrapes % 4)}`,
        "",
      ].join("\n"),
    );
  });
  await new Promise<void>((resolve) => exporter.listen(0, "127.0.0.1", resolve));
  const exporterPort = (exporter.address() as AddressInfo).port;
  vigil = await startControlPlane();
  ({ projectId } = await createOrgWithProject());
  const ingestKey = (await createApiKey({ projectId, name: "prometheus", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "grafana", scope: "read" })).secret;
  prometheus = await startPrometheus(`
global:
  scrape_interval: 1s
scrape_configs:
  - job_name: shop
    static_configs:
      - targets: ["127.0.0.1:${exporterPort}"]
remote_write:
  - url: ${vigil.url}/prometheus/api/v1/write
    authorization:
      credentials: ${ingestKey}
    queue_config:
      batch_send_deadline: 1s
      min_backoff: 100ms
`);
}, 60_000);

afterAll(async () => {
  await prometheus?.stop();
  await vigil?.close();
  exporter?.close();
});

type Matrix = {
  status: string;
  data: {
    resultType: string;
    result: { metric: Record<string, string>; values: [number, string][] }[];
  };
};

async function queryRange(query: string): Promise<Matrix> {
  const end = Date.now() / 1000;
  const params = new URLSearchParams({
    query,
    start: String(end - 120),
    end: String(end),
    step: "1",
  });
  const response = await fetch(`${vigil.url}/prometheus/api/v1/query_range?${params}`, {
    headers: { authorization: `Bearer ${readKey}` },
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Matrix;
}

/** Polls until `check` holds (Prometheus sends on its own schedule), up to 60 s. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe("Prometheus scraping an exporter and remote-writing to Vigil", () => {
  it("makes the scraped samples answer PromQL through /prometheus/api/v1/query_range", async () => {
    const orders = await eventually(
      () => queryRange('shop_orders_total{job="shop"}'),
      (m) => m.data.result.length === 2 && m.data.result.every((s) => s.values.length >= 15),
    );
    expect(orders.data.result.map((s) => s.metric.region).sort()).toEqual(["eu", "us"]);
    for (const s of orders.data.result) {
      expect(s.metric).toMatchObject({
        __name__: "shop_orders_total",
        job: "shop",
        instance: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      });
      // A counter: each scrape's value is the one before plus 3 (eu) or 5 (us) per scrape.
      const values = s.values.map(([, v]) => Number(v));
      expect(values.every((v, i) => i === 0 || v >= (values[i - 1] as number))).toBe(true);
      expect(values.every((v) => v % (s.metric.region === "eu" ? 3 : 5) === 0)).toBe(true);
    }
    const rate = await queryRange("sum by (region) (rate(shop_orders_total[10s]))");
    const eu = rate.data.result.find((s) => s.metric.region === "eu");
    // 3 orders a scrape, a scrape a second: 3 a second wherever the 10 s window is full of
    // scrapes (the newest steps see fewer, the samples still on their way).
    const peak = Math.max(...(eu?.values ?? []).map(([, v]) => Number(v)));
    expect(peak).toBeGreaterThan(2.5);
    expect(peak).toBeLessThan(3.5);
    // Prometheus's own series about the scrape arrive too.
    const up = await queryRange('up{job="shop"}');
    expect(up.data.result[0]?.values.at(-1)?.[1]).toBe("1");
  }, 90_000);

  it("charts the scraped metrics in Vigil's metrics explorer, under the job as service", async () => {
    const chart = await eventually(
      () =>
        queryMetricSeries(projectId, {
          name: "shop_cart_items",
          service: "shop",
          from: String(Date.now() - 300_000),
          to: String(Date.now()),
          agg: "max",
        }),
      (c) => c.series.some((s) => s.points.some((p) => p.value !== null)),
    );
    const values = chart.series
      .flatMap((s) => s.points.map((p) => p.value))
      .filter((v) => v !== null);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(v).toBeGreaterThanOrEqual(10);
    for (const v of values) expect(v).toBeLessThanOrEqual(13);
  }, 90_000);
});
