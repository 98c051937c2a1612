import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../jobs/index.ts";
import { type Scheduler, startScheduler } from "../../jobs/scheduler.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { setupIngest } from "../../testing/ingest-setup.ts";
import { sendMetrics } from "../../testing/otlp-send.ts";
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from "../../testing/webhook-receiver.ts";
import type { AlertmanagerBody } from "./alertmanager-payload.ts";
import { alertHistory } from "./alerts.ts";
import { setRouting } from "./config.ts";
import { createReceiver } from "./receivers.ts";
import { createRule } from "./rules.ts";

// The whole path with real parts: metrics over OTLP into the control plane, the leader's jobs
// evaluating, grouping and delivering, and a real HTTP receiver checking signatures.

const setup = setupIngest();
let receiver: WebhookReceiver;
let scheduler: Scheduler;
let secret: string;

beforeAll(async () => {
  setTestRuntime();
  receiver = await startWebhookReceiver();
  const created = await createReceiver(setup.projectId, { name: "ops", url: receiver.url });
  secret = created.secret;
  await setRouting(setup.projectId, {
    route: {
      receiver: "ops",
      groupBy: ["alertname"],
      groupWait: "1s",
      groupInterval: "1s",
      repeatInterval: "4h",
    },
  });
  scheduler = startScheduler({
    connectionString: setup.databaseUrl,
    jobs: jobs.filter((job) => job.name.startsWith("alert-")),
    log: pino({ level: "silent" }),
  });
});
afterAll(async () => {
  await scheduler?.stop();
  await receiver?.close();
});

const depth = (values: Record<string, number>) =>
  sendMetrics(setup.url, setup.ingestKey, "orders", (provider) => {
    const gauge = provider.getMeter("test").createGauge("queue.depth");
    for (const [region, value] of Object.entries(values)) gauge.record(value, { region });
  });

describe("an alert rule over OTLP metrics", () => {
  it("goes pending, fires, resolves, and the receiver gets signed, grouped Alertmanager bodies", {
    timeout: 90_000,
  }, async () => {
    const rule = await createRule(setup.projectId, {
      name: "QueueBacklog",
      spec: {
        kind: "metric",
        metric: "queue.depth",
        service: "orders",
        groupBy: "region",
        agg: "max",
        window: "10s",
        op: ">",
        threshold: 10,
      },
      interval: "1s",
      for: "2s",
      labels: { severity: "warning", team: "shop" },
      annotations: { summary: "Queue {{ $labels.region }} holds {{ $value }} messages" },
    });
    await depth({ eu: 50, us: 60 });

    const firing = await receiver.next((request) => JSON.parse(request.body).status === "firing");
    const verified = verifiedBody<AlertmanagerBody>(secret, firing);
    expect(verified.version).toBe("4");
    expect(verified.receiver).toBe("ops");
    expect(verified.groupLabels).toEqual({ alertname: "QueueBacklog" });
    expect(verified.commonLabels).toEqual({
      alertname: "QueueBacklog",
      service: "orders",
      severity: "warning",
      team: "shop",
    });
    expect(
      verified.alerts
        .map((alert) => [alert.labels.region, alert.annotations.summary, alert.endsAt])
        .sort(),
    ).toEqual([
      ["eu", "Queue eu holds 50 messages", "0001-01-01T00:00:00Z"],
      ["us", "Queue us holds 60 messages", "0001-01-01T00:00:00Z"],
    ]);
    expect(verified.alerts.every((alert) => /^[0-9a-f]{16}$/.test(alert.fingerprint))).toBe(true);
    // One notification for both regions: they share the group (alertname).
    expect(
      receiver.received.filter((request) => JSON.parse(request.body).status === "firing"),
    ).toHaveLength(1);

    // The queue drains; once the window holds only low values the alerts resolve.
    await depth({ eu: 1, us: 2 });
    const resolved = await receiver.next(
      (request) => JSON.parse(request.body).status === "resolved",
    );
    const body = verifiedBody<AlertmanagerBody>(secret, resolved);
    expect(body.alerts.map((alert) => alert.status)).toEqual(["resolved", "resolved"]);
    expect(body.alerts.every((alert) => alert.endsAt !== "0001-01-01T00:00:00Z")).toBe(true);
    expect(resolved.headers["webhook-id"]).not.toBe(firing.headers["webhook-id"]);

    const history = await alertHistory(setup.projectId, { ruleId: rule.id });
    const eu = history.filter((event) => event.labels.region === "eu").reverse();
    expect(eu.map((event) => `${event.fromState}→${event.toState}`)).toEqual([
      "inactive→pending",
      "pending→firing",
      "firing→resolved",
    ]);
  });
});
