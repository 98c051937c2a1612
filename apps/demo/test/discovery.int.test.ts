import { setupIngest } from "@vigil/web/testing";
import { afterAll, describe, expect, it } from "vitest";
import { Balancer } from "../src/platform/balancer.ts";
import { Discovery } from "../src/platform/discovery.ts";

// The gateway's view of a service through Vigil's public discovery API: only passing instances,
// and a change in the registry reaches a waiting blocking query.

const plane = setupIngest();
const stops: (() => void)[] = [];
afterAll(() => {
  for (const stop of stops) stop();
});

const consul = (path: string, body?: unknown) =>
  fetch(`${plane.url}${path}`, {
    method: "PUT",
    headers: { "x-consul-token": plane.ingestKey },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe("discovery through Vigil's Consul API", () => {
  it("balances over passing instances and drops one that turns critical", async () => {
    for (const [id, port] of [
      ["users-1", 7001],
      ["users-2", 7002],
    ] as const)
      await consul("/v1/agent/service/register", {
        Name: "users",
        ID: id,
        Port: port,
        Check: { TTL: "30s", Status: "passing" },
      });
    const discovery = new Discovery({
      endpoint: plane.url,
      token: plane.ingestKey,
      service: "users",
      waitSeconds: 10,
    });
    stops.push(() => discovery.stop());
    await discovery.refresh();
    const balancer = new Balancer(() => discovery.instances());
    expect([1, 2, 3, 4].map(() => balancer.pick()?.port)).toEqual([7001, 7002, 7001, 7002]);

    // A blocking query returns as soon as users-2 fails.
    const changed = discovery.refresh(true);
    await consul("/v1/agent/check/fail/service:users-2?note=down");
    await changed;
    expect(discovery.instances().map((instance) => instance.id)).toEqual(["users-1"]);
    expect([1, 2, 3].map(() => balancer.pick()?.id)).toEqual(["users-1", "users-1", "users-1"]);
  });

  it("offers no instance without a port, and lets a caller wait for the first passing one", async () => {
    const discovery = new Discovery({
      endpoint: plane.url,
      token: plane.ingestKey,
      service: "orders",
      waitSeconds: 10,
    });
    stops.push(() => discovery.stop());
    await consul("/v1/agent/service/register", {
      Name: "orders",
      ID: "orders-portless",
      Check: { TTL: "30s", Status: "passing" },
    });
    await discovery.refresh();
    expect(discovery.instances()).toEqual([]);
    discovery.watch();
    const waited = discovery.whenAny(10_000);
    await consul("/v1/agent/service/register", {
      Name: "orders",
      ID: "orders-1",
      Port: 7101,
      Check: { TTL: "30s", Status: "passing" },
    });
    await waited;
    expect(discovery.instances().map((instance) => instance.id)).toEqual(["orders-1"]);
  });

  it("says which service it could not read", async () => {
    const discovery = new Discovery({ endpoint: plane.url, token: "not-a-key", service: "users" });
    await expect(discovery.refresh()).rejects.toThrow("discovery of users answered 403");
  });
});
