import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDueHttpChecks } from "../../registry/http-checks.ts";
import { registerInstance, serviceHealth } from "../../registry/registry.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from "../../testing/webhook-receiver.ts";
import type { AlertmanagerBody } from "./alertmanager-payload.ts";
import { sendTest } from "./delivery.ts";
import { createReceiver } from "./receivers.ts";
import { newWebhookSecret } from "./webhook-signature.ts";

// Real receivers are host names. Outbound requests resolve the name once, check every address,
// and connect to the one checked — for names, IPv4 and IPv6 literals alike (internal targets
// are allowed here: local mode; the SSRF guard has its own tests).

setupTestDatabase();
let projectId: string;
const receivers: WebhookReceiver[] = [];
let health: Server;
let healthPort: number;
beforeAll(async () => {
  setTestRuntime();
  ({ projectId } = await createOrgWithProject());
  health = createServer((_req, res) => res.writeHead(200).end("ok"));
  await new Promise<void>((resolve) => health.listen(0, "127.0.0.1", resolve));
  healthPort = (health.address() as AddressInfo).port;
});
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await new Promise<void>((resolve) => health.close(() => resolve()));
});

describe("outbound requests by host name and IPv6", () => {
  it.each([
    ["a host name", "127.0.0.1", (port: number) => `http://localhost:${port}/hook`],
    ["an IPv6 literal", "::1", (port: number) => `http://[::1]:${port}/hook`],
  ])("deliver a signed webhook to a receiver addressed by %s", async (_what, host, url) => {
    const receiver = await startWebhookReceiver(host);
    receivers.push(receiver);
    const port = Number(new URL(receiver.url).port);
    const secret = newWebhookSecret();
    const { receiver: target } = await createReceiver(projectId, {
      name: `by ${host}`,
      url: url(port),
      secret,
    });
    const result = await sendTest(projectId, target.id);
    expect([result.outcome, result.statusCode]).toEqual(["delivered", 200]);
    const body = verifiedBody<AlertmanagerBody>(secret, await receiver.next());
    expect(body.commonLabels.alertname).toBe("VigilTestNotification");
  });

  it("run an HTTP check addressed by host name", async () => {
    await registerInstance(
      projectId,
      { Name: "named", Check: { HTTP: `http://localhost:${healthPort}/healthz`, Interval: "10s" } },
      { allowInternal: true },
    );
    await runDueHttpChecks({ allowInternal: true });
    const [instance] = await serviceHealth(projectId, "named", { passing: false });
    expect(instance?.checks[0]).toMatchObject({
      status: "passing",
      output: `HTTP GET http://localhost:${healthPort}/healthz: 200 (the body of an internal target is not kept)`,
    });
  });
});
