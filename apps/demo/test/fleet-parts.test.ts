import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { commandFor } from "../src/cli/commands.ts";
import { readConfig } from "../src/env.ts";
import { IncidentError, Incidents } from "../src/fleet/incidents.ts";
import type { ServiceInstance } from "../src/fleet/instances.ts";
import type { Traffic } from "../src/fleet/traffic.ts";
import { WebhookInbox } from "../src/fleet/webhook-inbox.ts";

// The fleet's small parts that need no running shop: the CLI's words, the environment check,
// the switches' input checks and the alert receiver's signature check.

describe("the demo CLI", () => {
  it("turns each command into a request to the fleet's switches", () => {
    expect(commandFor(["pause-replica"])).toEqual({
      path: "/incidents/replica-paused",
      body: { on: true },
    });
    expect(commandFor(["hot-tenant", "off"])).toEqual({
      path: "/incidents/hot-tenant",
      body: { on: false },
    });
    expect(commandFor(["slow"])).toEqual({
      path: "/incidents/slow-service",
      body: { on: true, service: "products" },
    });
    expect(commandFor(["kill", "orders-1"])).toEqual({
      path: "/incidents/kill-instance",
      body: { on: true, instance: "orders-1" },
    });
    expect(commandFor(["status"])).toEqual({ path: "/status" });
  });

  it("says what is wrong with a command it does not know", () => {
    expect(commandFor([])).toEqual({ problem: "a command is needed" });
    expect(commandFor(["reboot"])).toEqual({ problem: "unknown command reboot" });
    expect(commandFor(["hot-tenant", "maybe"])).toEqual({ problem: "hot-tenant needs on or off" });
    expect(commandFor(["strategy", "random"])).toEqual({
      problem: "strategy needs round-robin or least-connections",
    });
  });
});

describe("the demo's environment", () => {
  it("names every variable that is missing or malformed", () => {
    expect(() => readConfig({ VIGIL_ENDPOINT: "vigil:3000", DEMO_INSTANCES: "9" })).toThrow(
      "demo: VIGIL_ENDPOINT must be a http:// or https:// URL; DEMO_PRIMARY_URL must be a postgres:// or postgresql:// URL; DEMO_REPLICA_URL must be a postgres:// or postgresql:// URL; VIGIL_KEY must be an ingest key of the demo project; DEMO_INSTANCES must be a whole number from 1 to 5",
    );
  });

  it("takes Redis as optional", () => {
    const config = readConfig({
      VIGIL_ENDPOINT: "http://127.0.0.1:3000",
      VIGIL_KEY: "vgl_ik_x",
      DEMO_PRIMARY_URL: "postgresql://u:p@127.0.0.1:5433/postgres",
      DEMO_REPLICA_URL: "postgresql://u:p@127.0.0.1:5434/postgres",
    });
    expect(config).toMatchObject({ redisUrl: null, instances: 2, controlPort: 0 });
  });
});

describe("the incident switches", () => {
  const traffic = { hotTenant: false, stop: () => {}, sent: () => 0 } as Traffic;
  const incidents = new Incidents([] as ServiceInstance[], traffic, "postgresql://unused/x");

  it("refuse what they do not know, saying what they take", async () => {
    await expect(incidents.set("meteor", {})).rejects.toThrow(
      new IncidentError(
        "no incident named meteor; try replica-paused, cache-flush, hot-tenant, slow-service, kill-instance",
      ),
    );
    await expect(incidents.set("hot-tenant", { on: "yes" })).rejects.toThrow(
      "on must be true or false",
    );
    await expect(incidents.set("slow-service", { service: "billing" })).rejects.toThrow(
      "service must be one of gateway, users, products, orders, payments",
    );
    await expect(incidents.set("kill-instance", { instance: "users-9" })).rejects.toThrow(
      "no instance named users-9",
    );
    await expect(incidents.set("strategy", { value: "random" })).rejects.toThrow(
      "strategy must be round-robin or least-connections",
    );
    expect(incidents.state).toMatchObject({
      hotTenant: false,
      slowService: null,
      killedInstance: null,
    });
  });
});

describe("the demo alert receiver", () => {
  const secret = `whsec_${Buffer.from("a demo receiver secret!!").toString("base64")}`;
  const body = JSON.stringify({
    status: "firing",
    alerts: [
      {
        status: "firing",
        labels: { alertname: "ReplicaLagging" },
        annotations: { summary: "9 s behind" },
      },
    ],
  });
  const signed = (payload: string) => {
    const id = "msg_1";
    const timestamp = new Date();
    return {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, timestamp, payload),
    };
  };

  it("keeps a delivery whose signature verifies", () => {
    const inbox = new WebhookInbox(secret);
    expect(inbox.accept(body, signed(body))).toBe(204);
    expect(inbox.received).toEqual([
      expect.objectContaining({
        webhookId: "msg_1",
        status: "firing",
        alerts: [{ name: "ReplicaLagging", status: "firing", summary: "9 s behind" }],
      }),
    ]);
  });

  it("answers 401 to a forged or altered one and keeps nothing", () => {
    const inbox = new WebhookInbox(secret);
    expect(inbox.accept(body.replace("9 s", "0 s"), signed(body))).toBe(401);
    expect(inbox.accept(body, { "webhook-id": "msg_2" })).toBe(401);
    expect(inbox.received).toEqual([]);
  });
});
