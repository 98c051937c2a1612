import { setupTestDatabase } from "@vigil/db/testing";
import Consul from "consul";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

// The `consul` npm client — a real Consul client nobody here wrote — against Vigil.

setupTestDatabase();

let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let consul: Consul;
let ingestKey: string;
beforeAll(async () => {
  controlPlane = await startControlPlane();
  const { projectId } = await createOrgWithProject();
  ingestKey = (await createApiKey({ projectId, name: "registry", scope: "ingest" })).secret;
  const { port } = new URL(controlPlane.url);
  consul = new Consul({ host: "127.0.0.1", port: Number(port), defaults: { token: ingestKey } });
});
afterAll(() => controlPlane.close());

type Entry = {
  Service: { ID: string; Tags: string[]; Port: number };
  Checks: { CheckID: string; Status: string; Output: string }[];
};
const health = (passing: boolean) =>
  consul.health.service({ service: "orders", passing }) as Promise<Entry[]>;

describe("the Consul-compatible registry, driven by the consul client", () => {
  it("registers with a TTL check, moves it through pass, warn and fail, and deregisters", async () => {
    await consul.agent.service.register({
      name: "orders",
      id: "orders-1",
      address: "10.0.0.5",
      port: 8080,
      tags: ["v2", "eu"],
      check: { name: "heartbeat", ttl: "10s", timeout: "1s" },
    });
    await consul.agent.service.register({
      name: "orders",
      id: "orders-2",
      port: 8081,
      tags: ["v2"],
      check: { name: "heartbeat", ttl: "10s", timeout: "1s", status: "passing" },
    });

    // A new check starts critical unless it says otherwise.
    expect(
      (await health(false)).map((entry) => [entry.Service.ID, entry.Checks[0]?.Status]),
    ).toEqual([
      ["orders-1", "critical"],
      ["orders-2", "passing"],
    ]);
    expect((await health(true)).map((entry) => entry.Service.ID)).toEqual(["orders-2"]);

    await consul.agent.check.pass({ id: "service:orders-1", note: "warmed up" });
    expect((await health(true)).map((entry) => entry.Service.ID)).toEqual(["orders-1", "orders-2"]);
    expect((await health(false))[0]?.Checks[0]).toMatchObject({
      CheckID: "service:orders-1",
      Status: "passing",
      Output: "warmed up",
    });

    await consul.agent.check.warn("service:orders-1");
    expect((await health(true)).map((entry) => entry.Service.ID)).toEqual(["orders-2"]);
    await consul.agent.check.fail("service:orders-2");
    expect(await health(true)).toEqual([]);

    expect(await consul.catalog.service.list()).toEqual({ orders: ["eu", "v2"] });
    expect(
      ((await consul.health.service({ service: "orders", tag: "eu" })) as Entry[]).map(
        (entry) => entry.Service.ID,
      ),
    ).toEqual(["orders-1"]);

    await consul.agent.service.deregister("orders-1");
    await consul.agent.service.deregister("orders-2");
    expect(await health(false)).toEqual([]);
  });

  it("answers a blocking query when the registry changes, and otherwise after its wait", async () => {
    await consul.agent.service.register({
      name: "orders",
      id: "orders-9",
      check: { name: "heartbeat", ttl: "30s", timeout: "1s", status: "passing" },
    });
    const startIndex = (
      await fetch(`${controlPlane.url}/v1/health/service/orders`, {
        headers: { "x-consul-token": ingestKey },
      })
    ).headers.get("x-consul-index");
    expect(Number(startIndex)).toBeGreaterThan(0);

    const blocked = fetch(
      `${controlPlane.url}/v1/health/service/orders?index=${startIndex}&wait=5s`,
      { headers: { "x-consul-token": ingestKey } },
    );
    await consul.agent.check.fail({ id: "service:orders-9", note: "db down" });
    const answer = await blocked;
    expect(Number(answer.headers.get("x-consul-index"))).toBeGreaterThan(Number(startIndex));
    expect(((await answer.json()) as Entry[])[0]?.Checks[0]?.Status).toBe("critical");

    const idle = await fetch(
      `${controlPlane.url}/v1/health/service/orders?index=${answer.headers.get("x-consul-index")}&wait=200ms`,
      { headers: { "x-consul-token": ingestKey } },
    );
    expect(idle.status).toBe(200);
    expect(idle.headers.get("x-consul-index")).toBe(answer.headers.get("x-consul-index"));
  });

  it("drives the consul client's own watch (its blocking queries) with each change", async () => {
    await consul.agent.service.register({
      name: "inventory",
      id: "inventory-1",
      check: { name: "heartbeat", ttl: "30s", timeout: "1s", status: "passing" },
    });
    const watch = consul.watch({
      method: consul.health.service,
      options: { service: "inventory", wait: "5s" },
    });
    const changes: string[][] = [];
    const nextChange = () =>
      new Promise<void>((resolve, reject) => {
        watch.once("change", (entries: Entry[]) => {
          changes.push(entries.map((entry) => entry.Checks[0]?.Status ?? "none"));
          resolve();
        });
        watch.once("error", reject);
      });
    try {
      await nextChange(); // the first answer
      const failed = nextChange();
      await consul.agent.check.fail("service:inventory-1");
      await failed;
      expect(changes).toEqual([["passing"], ["critical"]]);
    } finally {
      watch.end();
    }
  });

  it("does not move the index for a heartbeat that changes nothing, as a Consul agent does", async () => {
    await consul.agent.service.register({
      name: "quiet",
      id: "quiet-1",
      check: { name: "heartbeat", ttl: "30s", timeout: "1s", status: "passing" },
    });
    const indexOf = async () =>
      (
        await fetch(`${controlPlane.url}/v1/health/service/quiet`, {
          headers: { "x-consul-token": ingestKey },
        })
      ).headers.get("x-consul-index");
    const before = await indexOf();
    await consul.agent.check.pass("service:quiet-1");
    await consul.agent.check.pass("service:quiet-1");
    expect(await indexOf()).toBe(before);
    await consul.agent.check.pass({ id: "service:quiet-1", note: "new output" });
    expect(Number(await indexOf())).toBeGreaterThan(Number(before));
  });

  it("carries the load an instance reports with its heartbeat in discovery answers", async () => {
    await consul.agent.service.register({
      name: "pricing",
      id: "pricing-1",
      meta: { version: "1.2.0" },
      check: { name: "heartbeat", ttl: "30s", timeout: "1s", status: "passing" },
    });
    const update = await fetch(`${controlPlane.url}/v1/agent/check/update/service:pricing-1`, {
      method: "PUT",
      headers: { "x-consul-token": ingestKey },
      body: JSON.stringify({ Status: "passing", Output: "ok", Load: { InFlight: 12, CPU: 0.35 } }),
    });
    expect(update.status).toBe(200);
    const [entry] = (await consul.health.service({ service: "pricing", passing: true })) as {
      Service: { Meta: Record<string, string> };
    }[];
    expect(entry?.Service.Meta).toMatchObject({
      version: "1.2.0",
      "vigil.load.inflight": "12",
      "vigil.load.cpu": "0.35",
    });
    const bad = await fetch(`${controlPlane.url}/v1/agent/check/update/service:pricing-1`, {
      method: "PUT",
      headers: { "x-consul-token": ingestKey },
      body: JSON.stringify({ Status: "passing", Load: { InFlight: -1 } }),
    });
    expect(bad.status).toBe(400);
  });

  it("refuses requests without an ingest key, and bad registrations with a clear message", async () => {
    const anonymous = await fetch(`${controlPlane.url}/v1/catalog/services`);
    expect(anonymous.status).toBe(403);
    const bad = await fetch(`${controlPlane.url}/v1/agent/service/register`, {
      method: "PUT",
      headers: { "x-consul-token": ingestKey },
      body: JSON.stringify({ Name: "x", Check: { TTL: "soon" } }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/TTL must be a duration/);
    const unknown = await fetch(`${controlPlane.url}/v1/agent/check/pass/nope`, {
      method: "PUT",
      headers: { "x-consul-token": ingestKey },
    });
    expect(unknown.status).toBe(404);
  });
});
