import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readMigrationFiles } from "@vigil/db/migrations";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeRedis } from "../lib/redis.ts";
import { handleOps } from "./ops-routes.ts";

// REDIS_URL names a Redis that is not there: Vigil does not need it, so the replica stays ready.
vi.stubEnv("REDIS_URL", "redis://127.0.0.1:1");

setupTestDatabase();
let server: Server;
let base: string;
beforeAll(async () => {
  const migrations = await readMigrationFiles();
  server = createServer((req, res) => {
    void handleOps(req, res, { migrations, draining: () => false });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await closeRedis();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("/readyz with Redis down", () => {
  it("stays ready, and says Redis is unreachable and why", async () => {
    const response = await fetch(`${base}/readyz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; redis: string };
    expect(body.status).toBe("ready");
    expect(body.redis).toMatch(/^unreachable: .*(max retries|ECONNREFUSED|no answer)/);
  });
});
