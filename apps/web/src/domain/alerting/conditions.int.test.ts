import { context, SpanKind, trace } from "@opentelemetry/api";
import { db } from "@vigil/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deregisterInstance, registerInstance, updateCheck } from "../../registry/registry.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { setupIngest } from "../../testing/ingest-setup.ts";
import { sendGaugeAt, sendSpans } from "../../testing/otlp-send.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { activeAlerts } from "./alerts.ts";
import { setRouting } from "./config.ts";
import { deliverDue } from "./delivery.ts";
import { evaluateRule } from "./evaluate.ts";
import { notifyAll } from "./notify.ts";
import { createReceiver } from "./receivers.ts";
import { createRule } from "./rules.ts";
import { createSilence } from "./silences.ts";

// Rule conditions against real data: "no data" told apart by the registry, registry
// conditions, and what silences and inhibition hold back from a real receiver.

const setup = setupIngest();
let receiver: WebhookReceiver;
beforeAll(async () => {
  setTestRuntime();
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

const ruleRow = (id: string) =>
  db().prisma.alertRule.findUniqueOrThrow({
    where: { projectId_id: { projectId: setup.projectId, id } },
  });
const register = (service: string, id: string) =>
  registerInstance(setup.projectId, { Name: service, ID: id, Check: { TTL: "1h" } });

describe("a no-data rule", () => {
  it("tells a zero value, stopped telemetry and a deregistered instance apart", async () => {
    const t0 = Date.now() - 30_000;
    for (const instance of ["w-zero", "w-stopped", "w-gone"]) await register("worker", instance);
    // All three reported 5 jobs 30 s ago; since then w-zero reports 0, the others nothing.
    for (const instance of ["w-zero", "w-stopped", "w-gone"])
      await sendGaugeAt(
        setup.url,
        setup.ingestKey,
        { service: "worker", instance },
        "worker.jobs",
        [{ timeMs: t0, value: 5 }],
      );
    await sendGaugeAt(
      setup.url,
      setup.ingestKey,
      { service: "worker", instance: "w-zero" },
      "worker.jobs",
      [{ timeMs: t0 + 25_000, value: 0 }],
    );
    await deregisterInstance(setup.projectId, "w-gone");
    const rule = await createRule(setup.projectId, {
      name: "WorkerIdle",
      spec: {
        kind: "metric",
        metric: "worker.jobs",
        groupBy: "service.instance.id",
        agg: "max",
        window: "15s",
        op: "<",
        threshold: 1,
        noData: "alert",
      },
      labels: { severity: "warning" },
      annotations: { summary: "{{ $labels.instance }}: {{ $value }}" },
    });
    await evaluateRule(await ruleRow(rule.id), t0 + 30_000);
    const alerts = Object.fromEntries(
      (await activeAlerts(setup.projectId))
        .filter((alert) => alert.rule === "WorkerIdle")
        .map((alert) => [
          alert.labels.instance,
          [alert.state, alert.value, alert.reason, alert.annotations.summary],
        ]),
    );
    expect(alerts).toEqual({
      "w-zero": ["firing", 0, "", "w-zero: 0"],
      "w-stopped": ["firing", null, "no data: telemetry stopped", "w-stopped: no data"],
    });
    const history = await db().prisma.alertEvent.findMany({
      where: { projectId: setup.projectId, ruleId: rule.id },
    });
    expect(
      history.some(
        (event) => event.labels && (event.labels as Record<string, string>).instance === "w-gone",
      ),
    ).toBe(false);
  });
});

describe("registry conditions", () => {
  it("fire for a critical instance and for a service short of passing instances", async () => {
    await register("search", "search-1");
    await register("search", "search-2");
    // TTL checks start critical until the first heartbeat, as in Consul.
    await updateCheck(setup.projectId, "service:search-1", "passing", "");
    await updateCheck(setup.projectId, "service:search-2", "critical", "down");
    const critical = await createRule(setup.projectId, {
      name: "InstanceCritical",
      spec: { kind: "registry", condition: "instance_critical", service: "search" },
    });
    const short = await createRule(setup.projectId, {
      name: "SearchCapacity",
      spec: { kind: "registry", condition: "passing_below", service: "search", threshold: 2 },
    });
    await evaluateRule(await ruleRow(critical.id));
    await evaluateRule(await ruleRow(short.id));
    const alerts = (await activeAlerts(setup.projectId)).filter((alert) =>
      ["InstanceCritical", "SearchCapacity"].includes(alert.rule),
    );
    expect(
      alerts.map((alert) => [alert.rule, alert.labels.instance ?? "", alert.value]).sort(),
    ).toEqual([
      ["InstanceCritical", "search-2", 1],
      ["SearchCapacity", "", 1],
    ]);
  });
});

describe("silences and inhibition", () => {
  it("hold back exactly the matching alerts from the receiver", async () => {
    const project = setup.projectId;
    await db().prisma.alertRule.deleteMany({ where: { projectId: project } });
    await createReceiver(project, { name: "all", url: receiver.url });
    await setRouting(project, { route: { receiver: "all", groupBy: ["..."], groupWait: "0s" } });
    // storefront calls payments; payments has one instance, critical in the registry.
    await sendSpans(setup.url, setup.ingestKey, (tracerOf) => {
      const parent = tracerOf("storefront").startSpan("GET /checkout", { kind: SpanKind.SERVER });
      const child = tracerOf("payments").startSpan(
        "POST /pay",
        { kind: SpanKind.SERVER },
        trace.setSpan(context.active(), parent),
      );
      child.end();
      parent.end();
    });
    await register("payments", "payments-1");
    await updateCheck(project, "service:payments-1", "critical", "down");
    // One gauge per service and severity, each above its threshold.
    const now = Date.now();
    for (const service of ["storefront", "payments", "catalog"])
      await sendGaugeAt(
        setup.url,
        setup.ingestKey,
        { service, instance: `${service}-1` },
        "errors.ratio",
        [{ timeMs: now - 1000, value: 0.5 }],
      );
    const make = (name: string, severity: string) =>
      createRule(project, {
        name,
        spec: {
          kind: "metric",
          metric: "errors.ratio",
          groupBy: "service.name",
          agg: "max",
          window: "1m",
          op: ">",
          threshold: 0.1,
        },
        labels: { severity },
      });
    const rules = [
      await make("ErrorsCritical", "critical"),
      await make("ErrorsWarning", "warning"),
      await make("ErrorsInfo", "info"),
    ];
    await createSilence(
      project,
      { matchers: ["alertname=ErrorsInfo", "service=catalog"], endsAt: new Date(now + 3_600_000) },
      "test",
    );
    for (const rule of rules) await evaluateRule(await ruleRow(rule.id), now);

    const held = Object.fromEntries(
      (await activeAlerts(project)).map((alert) => [
        `${alert.rule}/${alert.labels.service}`,
        alert.suppressed,
      ]),
    );
    expect(held).toEqual({
      "ErrorsCritical/payments": null,
      "ErrorsCritical/catalog": null,
      // storefront's own alerts are effects of payments being down.
      "ErrorsCritical/storefront":
        "inhibited: storefront depends on payments, which is critical in the registry",
      "ErrorsWarning/storefront": "inhibited by ErrorsCritical",
      "ErrorsWarning/payments": "inhibited by ErrorsCritical",
      "ErrorsWarning/catalog": "inhibited by ErrorsCritical",
      "ErrorsInfo/storefront": "inhibited by ErrorsCritical",
      "ErrorsInfo/payments": "inhibited by ErrorsCritical",
      "ErrorsInfo/catalog": "silenced",
    });

    await notifyAll(Date.now());
    await notifyAll(Date.now());
    await deliverDue();
    const sent = receiver.received
      .filter((request) => request.headers["webhook-id"])
      .flatMap(
        (request) =>
          (JSON.parse(request.body) as { alerts: { labels: Record<string, string> }[] }).alerts,
      )
      .map((alert) => `${alert.labels.alertname}/${alert.labels.service}`)
      .sort();
    expect(sent).toEqual(["ErrorsCritical/catalog", "ErrorsCritical/payments"]);
  });
});
