import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../jobs/index.ts";
import { type Scheduler, startScheduler } from "../../jobs/scheduler.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { setupIngest } from "../../testing/ingest-setup.ts";
import { remoteWrite } from "../../testing/remote-write.ts";
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from "../../testing/webhook-receiver.ts";
import type { AlertmanagerBody } from "./alertmanager-payload.ts";
import { setRouting } from "./config.ts";
import { applyPrometheusRules } from "./provisioning.ts";
import { createReceiver } from "./receivers.ts";

// A Prometheus rule file — a histogram_quantile, a rate ratio and an absent() — applied to a
// project, evaluated by the leader's jobs over remote-written data, and delivered through the
// usual notification path to a real receiver, with Prometheus's template functions expanded.

const setup = setupIngest();
let receiver: WebhookReceiver;
let scheduler: Scheduler;
let secret: string;

const RULES = `
groups:
  - name: checkout
    interval: 1s
    rules:
      - alert: CheckoutSlow
        expr: histogram_quantile(0.95, sum by (le, job) (rate(request_seconds_bucket[5m]))) > 0.5
        for: 0s
        labels: { severity: critical }
        annotations:
          summary: "p95 of {{ $labels.job }} is {{ $value | humanizeDuration }}"
      - alert: CheckoutErrors
        expr: |
          sum by (job) (rate(requests_total{code="500"}[5m]))
            / sum by (job) (rate(requests_total[5m])) > 0.1
        labels: { severity: warning }
        annotations:
          summary: "{{ $labels.job }} fails {{ humanizePercentage $value }} of requests"
      - alert: PaymentsMissing
        expr: absent(up{job="payments"})
        keep_firing_for: 1m
        labels: { severity: critical }
        annotations:
          summary: "no payments target for {{ $value | humanize }} check"
`;

beforeAll(async () => {
  setTestRuntime();
  receiver = await startWebhookReceiver();
  secret = (await createReceiver(setup.projectId, { name: "ops", url: receiver.url })).secret;
  await setRouting(setup.projectId, {
    route: {
      receiver: "ops",
      groupBy: ["alertname"],
      groupWait: "1s",
      groupInterval: "1s",
      repeatInterval: "4h",
    },
    // No inhibition: by default a critical alert mutes warnings that share its service label,
    // and these PromQL alerts carry job, not service — all three must arrive.
    inhibitRules: [],
  });
  // Ten minutes at 15 s: requests slow (most above 0.5 s) and a fifth of them failing.
  const now = Date.now();
  const times = Array.from({ length: 41 }, (_, i) => now - (40 - i) * 15_000);
  const job = { job: "checkout", instance: "c:1" };
  const response = await remoteWrite(`${setup.url}/prometheus/api/v1/write`, setup.ingestKey, [
    ...[
      ["0.25", 10],
      ["0.5", 20],
      ["1", 100],
      ["+Inf", 100],
    ].map(([le, perStep]) => ({
      labels: { __name__: "request_seconds_bucket", ...job, le: String(le) },
      samples: times.map((t, i): [number, number] => [t, i * Number(perStep)]),
    })),
    {
      labels: { __name__: "requests_total", ...job, code: "200" },
      samples: times.map((t, i): [number, number] => [t, i * 8]),
    },
    {
      labels: { __name__: "requests_total", ...job, code: "500" },
      samples: times.map((t, i): [number, number] => [t, i * 2]),
    },
    { labels: { __name__: "up", ...job }, samples: times.map((t): [number, number] => [t, 1]) },
  ]);
  expect(response.status).toBe(204);
  scheduler = startScheduler({
    connectionString: setup.databaseUrl,
    jobs: jobs.filter((j) => j.name.startsWith("alert-")),
    log: pino({ level: "silent" }),
  });
});
afterAll(async () => {
  await scheduler?.stop();
  await receiver?.close();
});

describe("a Prometheus rule file", () => {
  it("refuses a rule whose expression does not parse, naming it, and writes none of the file", async () => {
    await expect(
      applyPrometheusRules(
        setup.projectId,
        "groups: [{ name: g, rules: [{ alert: Broken, expr: 'rate(x)' }] }]",
      ),
    ).rejects.toThrow(/groups\[0\]\.rules\[0\] \(Broken\): .*expected type range vector/);
  });

  it("fires its three rules through the notification path, with the templates expanded", {
    timeout: 60_000,
  }, async () => {
    const { rules } = await applyPrometheusRules(setup.projectId, RULES);
    expect(rules.map((r) => r.name)).toEqual(["CheckoutSlow", "CheckoutErrors", "PaymentsMissing"]);
    const summaries = new Map<string, { labels: Record<string, string>; summary: string }>();
    while (summaries.size < 3) {
      const request = await receiver.next(
        (r) =>
          JSON.parse(r.body).status === "firing" &&
          !summaries.has(JSON.parse(r.body).groupLabels.alertname),
      );
      const body = verifiedBody<AlertmanagerBody>(secret, request);
      const [alert] = body.alerts;
      if (alert)
        summaries.set(alert.labels.alertname as string, {
          labels: alert.labels,
          summary: alert.annotations.summary ?? "",
        });
    }
    // Rank 0.95 × 100 = 95 of each step's 100 falls in (0.5, 1]: 0.5 + 0.5 × (75 / 80).
    expect(summaries.get("CheckoutSlow")).toEqual({
      labels: { alertname: "CheckoutSlow", job: "checkout", severity: "critical" },
      summary: "p95 of checkout is 968.8ms",
    });
    expect(summaries.get("CheckoutErrors")).toEqual({
      labels: { alertname: "CheckoutErrors", job: "checkout", severity: "warning" },
      summary: "checkout fails 20% of requests",
    });
    expect(summaries.get("PaymentsMissing")).toEqual({
      labels: { alertname: "PaymentsMissing", job: "payments", severity: "critical" },
      summary: "no payments target for 1 check",
    });
  });
});
