import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { instantQuery } from "../prometheus/promql/query.ts";
import { storeQuerier } from "../prometheus/querier.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { parseScrapeConfig } from "./config.ts";
import { parseExposition } from "./exposition.ts";
import { Scraper } from "./scraper.ts";
import { registryTargets, type ScrapeTarget } from "./targets.ts";

// The scraper against targets that change, break, drip and lie: each hurts only its own scrape.

setupTestDatabase();

let server: Server;
let port: number;
let body = "";
let projectId: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/drip") {
      // One byte a second, forever: only the scrape's total deadline ends it.
      res.writeHead(200);
      const timer = setInterval(() => res.write("#"), 1000);
      res.on("close", () => clearInterval(timer));
      return;
    }
    if (req.url === "/broken") {
      res.writeHead(500).end("no");
      return;
    }
    res.writeHead(200, { "content-type": "text/plain" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  ({ projectId } = await createOrgWithProject());
});
afterAll(() => server.close());

const target = (path: string, overrides: Partial<ScrapeTarget> = {}): ScrapeTarget => ({
  key: `${projectId} app ${path}`,
  projectId,
  job: "app",
  instance: `127.0.0.1:${port}`,
  url: `http://127.0.0.1:${port}${path}`,
  labels: { team: "shop" },
  intervalMs: 1000,
  timeoutMs: 500,
  sampleLimit: 100,
  policy: { allowInternal: true },
  ...overrides,
});

const scraper = new Scraper(() => pino({ level: "silent" }));
let clock = Date.now() - 60_000;
async function scrape(targets: ScrapeTarget[]) {
  clock += 1000;
  // The first sight of a target only schedules it (spread over its interval): step past it.
  scraper.startDue(targets, clock - 1000, new AbortController().signal);
  return Promise.all(scraper.startDue(targets, clock + 1000, new AbortController().signal));
}

async function value(query: string) {
  const result = await instantQuery(storeQuerier(db().pool, projectId), query, clock + 1000);
  return result.resultType === "vector"
    ? result.result.map((s) => ({ ...s.metric, value: s.value[1] }))
    : result;
}

describe("the scraper", () => {
  it("labels samples with job, instance and the target's labels, keeping a clashing exposed label as exported_*", async () => {
    body = 'cart_items{job="checkout",size="l"} 3\ncart_items{size="s"} 1\n';
    const [outcome] = await scrape([target("/metrics")]);
    expect(outcome).toEqual({ up: true, samples: 2, error: "" });
    expect(await value("cart_items")).toEqual(
      expect.arrayContaining([
        {
          __name__: "cart_items",
          job: "app",
          exported_job: "checkout",
          instance: `127.0.0.1:${port}`,
          team: "shop",
          size: "l",
          value: 3,
        },
        {
          __name__: "cart_items",
          job: "app",
          instance: `127.0.0.1:${port}`,
          team: "shop",
          size: "s",
          value: 1,
        },
      ]),
    );
    expect(await value("up")).toEqual([
      { __name__: "up", job: "app", instance: `127.0.0.1:${port}`, team: "shop", value: 1 },
    ]);
  });

  it("marks a series that is no longer exposed stale, so it vanishes at once rather than after 5 minutes", async () => {
    body = 'cart_items{size="s"} 2\n';
    await scrape([target("/metrics")]);
    expect((await value("cart_items")) as unknown[]).toEqual([
      expect.objectContaining({ size: "s", value: 2 }),
    ]);
  });

  it("reports a failing, dripping or oversized target as up = 0 without holding the others", async () => {
    body = Array.from({ length: 101 }, (_, i) => `m{i="${i}"} 1`).join("\n");
    const outcomes = await scrape([
      target("/drip"),
      target("/broken"),
      target("/metrics", { key: `${projectId} big` }),
    ]);
    expect(outcomes.map((o) => o.up)).toEqual([false, false, false]);
    // The dripping target is cut at its total deadline (500 ms), not when it stops sending.
    expect(outcomes[0]?.error).toContain("no complete answer within 500 ms");
    expect(outcomes[1]?.error).toBe("server returned HTTP status 500");
    expect(outcomes[2]?.error).toContain("more than 100 samples");
  });

  it("refuses internal addresses for registry-registered targets unless allowed", async () => {
    const [outcome] = await scrape([
      target("/metrics", { key: `${projectId} guarded`, policy: { allowInternal: false } }),
    ]);
    expect(outcome?.up).toBe(false);
    expect(outcome?.error).toMatch(/internal|not allowed|blocked/i);
  });

  it("finds registry instances that opt in with Meta.prometheus_path", async () => {
    await db().pool.query(
      `INSERT INTO registry_instance (project_id, id, service, address, port, meta, create_index, modify_index)
       VALUES ($1, 'web-1', 'web', 'web.internal', 8080, '{"prometheus_path": "/metrics"}', 1, 1),
              ($1, 'web-2', 'web', 'web.internal', 8081, '{}', 2, 2)`,
      [projectId],
    );
    const found = (await registryTargets()).filter((t) => t.projectId === projectId);
    expect(found.map((t) => ({ job: t.job, instance: t.instance, url: t.url }))).toEqual([
      { job: "web", instance: "web.internal:8080", url: "http://web.internal:8080/metrics" },
    ]);
  });
});

describe("reading scrape files and expositions", () => {
  it("reads Prometheus's scrape_configs and refuses what it does not understand, by name", () => {
    const [job] = parseScrapeConfig(`
global: { scrape_interval: 30s }
scrape_configs:
  - job_name: node
    scrape_timeout: 5s
    static_configs: [{ targets: ["node:9100"], labels: { dc: eu } }]
`);
    expect(job).toMatchObject({
      jobName: "node",
      intervalMs: 30_000,
      timeoutMs: 5_000,
      metricsPath: "/metrics",
      targets: [{ address: "node:9100", labels: { dc: "eu" } }],
    });
    expect(() =>
      parseScrapeConfig(
        "scrape_configs: [{ job_name: x, kubernetes_sd_configs: [], static_configs: [{ targets: ['a:1'] }] }]",
      ),
    ).toThrow(/kubernetes_sd_configs/);
    expect(() =>
      parseScrapeConfig(
        "scrape_configs: [{ job_name: x, static_configs: [{ targets: ['http://a:1/metrics'] }] }]",
      ),
    ).toThrow(/host:port/);
    expect(() =>
      parseScrapeConfig(
        "scrape_configs: [{ job_name: x, scrape_interval: soon, static_configs: [{ targets: ['a:1'] }] }]",
      ),
    ).toThrow(/not a duration/);
  });

  it("reads the text format: escapes, special values, timestamps, and names a bad line", () => {
    const { samples, types } = parseExposition(
      '# TYPE a counter\na_total{path="/x\\"y\\\\z\\n"} 1e3 1700000000000\nb NaN\nc +Inf\n',
      10,
    );
    expect(types.get("a")).toBe("counter");
    expect(samples[0]).toEqual({
      name: "a_total",
      labels: { path: '/x"y\\z\n' },
      value: 1000,
      timestampMs: 1_700_000_000_000,
    });
    expect(samples[1]?.value).toBeNaN();
    expect(samples[2]?.value).toBe(Number.POSITIVE_INFINITY);
    expect(() => parseExposition("ok 1\nbad{x=1} 2\n", 10)).toThrow(/line 2/);
  });
});
