import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readMigrationFiles } from "@vigil/db/migrations";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selfMetrics } from "../ingest/stats.ts";
import { createRedis, redisProblem } from "../lib/redis.ts";
import { redisForTests } from "../testing/redis.ts";
import { handleOps } from "./ops-routes.ts";

setupTestDatabase();

let server: Server;
let base: string;
let draining = false;
let metricsToken: string | undefined;

beforeAll(async () => {
  const migrations = await readMigrationFiles();
  server = createServer((req, res) => {
    void handleOps(req, res, { migrations, draining: () => draining, metricsToken }).then(
      (handled) => {
        if (!handled) res.writeHead(404).end();
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("operational routes", () => {
  it("/healthz answers while the process is up", async () => {
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("/readyz is ready when the database is reachable and fully migrated", async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ready",
      migrations: (await readMigrationFiles()).length,
    });
  });

  it("/readyz turns 503 while shutting down", async () => {
    draining = true;
    const response = await fetch(`${base}/readyz`);
    draining = false;
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: "shutting down" });
  });

  it("/metrics shows Vigil's own counters in Prometheus text format", async () => {
    selfMetrics.requests.inc({ signal: "traces", code: "200" }, 3);
    selfMetrics.accepted.inc({ signal: "traces" }, 1536);
    const response = await fetch(`${base}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(text).toContain('vigil_ingest_requests_total{signal="traces",code="200"} 3');
    expect(text).toContain('vigil_ingest_items_total{signal="traces"} 1536');
    expect(text).toMatch(/^vigil_ingest_queue_rows \d+$/m);
    expect(text).toMatch(/^vigil_jobs_leader [01]$/m);
    expect(text).toContain("# TYPE vigil_ingest_flush_seconds histogram");
    expect(text).toMatch(/^vigil_process_resident_memory_bytes \d+/m);
  });

  it("/metrics asks for the token when VIGIL_METRICS_TOKEN is set, and answers Prometheus with it", async () => {
    metricsToken = "metrics-token-0123456789abcdef";
    try {
      const without = await fetch(`${base}/metrics`);
      expect(without.status).toBe(401);
      expect(await without.text()).toContain("Authorization: Bearer");
      const wrong = await fetch(`${base}/metrics`, {
        headers: { authorization: "Bearer metrics-token-0123456789abcdeX" },
      });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${base}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain("vigil_ingest_requests_total");
    } finally {
      metricsToken = undefined;
    }
  });

  it("leaves other paths to the next handler", async () => {
    expect((await fetch(`${base}/projects`)).status).toBe(404);
  });
});

const realRedis = await redisForTests("ops-routes.int.test");
describe.skipIf(!realRedis)("Redis readiness (real Redis)", () => {
  it("reports a reachable Redis as healthy and an unreachable one with the reason", async () => {
    if (!realRedis) throw new Error("unreachable");
    expect(await redisProblem(realRedis)).toBeNull();
    const dead = createRedis("redis://127.0.0.1:1");
    expect(await redisProblem(dead, 300)).toMatch(/max retries|ECONNREFUSED|no answer/);
    dead.disconnect();
    realRedis.disconnect();
  });
});
