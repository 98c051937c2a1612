import type { Page } from "@playwright/test";
import { adminSession } from "../playwright.config.ts";
import type { AlertmanagerBody } from "../src/domain/alerting/alertmanager-payload.ts";
import { sendGaugeAt } from "../src/testing/otlp-send.ts";
import {
  startWebhookReceiver,
  verifiedBody,
  type WebhookReceiver,
} from "../src/testing/webhook-receiver.ts";
import { expect, test } from "./browser-checks.ts";

test.use({ storageState: adminSession });

/** A text field by the start of its label (labels carry hints after the name). */
const field = (page: Page, label: string) =>
  page.getByRole("textbox", { name: new RegExp(`^${label.replace(/[()]/g, "\\$&")}`) });

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(() => receiver.close());

test("an operator adds a receiver and a rule with a preview, sees it fire and the delivery in the log", async ({
  page,
  baseURL,
}) => {
  test.setTimeout(120_000);
  // A project of its own, so the other tests' default project stays as they expect it.
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("New project").fill("alerting-e2e");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(
    page.getByRole("combobox", { name: "Project" }).locator("option:checked"),
  ).toHaveText(/alerting-e2e/);
  await expect(page.getByText("No keys yet.")).toBeVisible();
  await page.getByLabel("Name").fill("alerting-e2e");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-secret").textContent()) ?? "";
  await page.getByRole("button", { name: "Done" }).click();
  // Half an hour of queue depth for the orders service: calm, then a backlog for the last 10 minutes.
  const now = Date.now();
  const points = Array.from({ length: 31 }, (_, i) => ({
    timeMs: now - (30 - i) * 60_000,
    value: i >= 21 ? 40 + i : 3,
    attributes: { queue: "payments" },
  }));
  await sendGaugeAt(
    baseURL as string,
    key,
    { service: "orders", instance: "orders-1" },
    "queue.depth",
    points,
  );

  await page.getByRole("navigation").getByRole("link", { name: "Alerts" }).click();
  await expect(page.getByRole("heading", { name: "Alerts", exact: true })).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/alerts-empty.png", fullPage: true });

  // A receiver: its signing secret is shown once.
  await page
    .getByRole("navigation", { name: "Alerting" })
    .getByRole("link", { name: "Receivers" })
    .click();
  await page.waitForURL(/\/alerts\/receivers$/);
  await field(page, "Receiver name").fill("shop-hook");
  await field(page, "Webhook URL").fill(receiver.url);
  await page.getByRole("button", { name: "Add receiver" }).click();
  const secret = (await page.getByTestId("new-secret").textContent()) ?? "";
  expect(secret).toMatch(/^whsec_/);
  await page.getByRole("button", { name: "Done" }).click();
  await page.getByRole("button", { name: "Send test" }).click();
  await expect(page.getByText(/Test delivered \(HTTP 200/)).toBeVisible();
  // Notifications to this receiver after a second of grouping.
  await page.getByLabel("Routing JSON").fill(
    JSON.stringify({
      route: { receiver: "shop-hook", groupBy: ["alertname"], groupWait: "1s" },
      inhibitRules: null,
    }),
  );
  await page.getByRole("button", { name: "Save routing" }).click();
  await expect(page.getByText("Saved.")).toBeVisible();

  // A rule, previewed over the data before it is saved.
  await page
    .getByRole("navigation", { name: "Alerting" })
    .getByRole("link", { name: "Rules" })
    .click();
  await page.waitForURL(/\/alerts\/rules$/);
  await page.getByRole("link", { name: "New rule" }).click();
  await page.waitForURL(/\/alerts\/rules\/new$/);
  await field(page, "Name (alertname)").fill("QueueBacklog");
  await field(page, "Service").fill("orders");
  await field(page, "Metric").fill("queue.depth");
  await field(page, "Group by").fill("queue");
  await page.getByRole("combobox", { name: "Aggregation", exact: true }).selectOption("max");
  await field(page, "Over the last").fill("2m");
  await field(page, "Threshold").fill("20");
  await field(page, "Evaluate every").fill("1s");
  await field(page, "Pending for").fill("0s");
  await field(page, "Labels").fill("severity=warning team=shop");
  await field(page, "Summary").fill("{{ $labels.queue }} queue holds {{ $value }} messages");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-summary")).toContainText("would have fired 1 time");
  await expect(page.getByTestId("preview-summary")).toContainText("now firing");
  await expect(page.getByRole("img", { name: "rule preview chart" })).toBeVisible();
  await page.screenshot({
    path: "test-results/screenshots/alert-rule-preview.png",
    fullPage: true,
  });
  await page.getByRole("button", { name: "Create rule" }).click();
  await page.waitForURL(/\/alerts\/rules\/[0-9a-f-]{36}$/);

  // The leader evaluates it within a second; it fires and the receiver is notified.
  const delivered = await receiver.next((request) => request.body.includes('"QueueBacklog"'));
  const body = verifiedBody<AlertmanagerBody>(secret, delivered);
  expect(body.status).toBe("firing");
  expect(body.commonLabels).toEqual({
    alertname: "QueueBacklog",
    queue: "payments",
    service: "orders",
    severity: "warning",
    team: "shop",
  });
  expect(body.commonAnnotations.summary).toBe("payments queue holds 70 messages");

  await page
    .getByRole("navigation", { name: "Alerting" })
    .getByRole("link", { name: "Alerts" })
    .click();
  await page.waitForURL(/\/alerts$/);
  await expect(page.getByRole("row", { name: "QueueBacklog firing" })).toContainText(
    "payments queue holds 70 messages",
  );
  await expect(page.getByText("inactive").first()).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/alerts-firing.png", fullPage: true });

  await page
    .getByRole("navigation", { name: "Alerting" })
    .getByRole("link", { name: "Receivers" })
    .click();
  await page.waitForURL(/\/alerts\/receivers$/);
  const row = page.getByRole("row", { name: `notification ${delivered.headers["webhook-id"]}` });
  await expect(row).toContainText("delivered");
  await expect(row).toContainText("HTTP 200");
  await row.getByRole("button", { name: "Details" }).click();
  await expect(page.getByText(`webhook-id ${delivered.headers["webhook-id"]}`)).toBeVisible();
  await page.screenshot({ path: "test-results/screenshots/alert-receivers.png", fullPage: true });

  await page
    .getByRole("navigation", { name: "Alerting" })
    .getByRole("link", { name: "Rules" })
    .click();
  await expect(page.getByRole("row", { name: "rule QueueBacklog" })).toContainText("firing");
  await page.screenshot({ path: "test-results/screenshots/alert-rules.png", fullPage: true });

  // The same condition written in PromQL, over the gauge's Prometheus name, previewed alike.
  await page.getByRole("link", { name: "New rule" }).click();
  await page.waitForURL(/\/alerts\/rules\/new$/);
  await field(page, "Name (alertname)").fill("QueueBacklogPromQL");
  await page.getByRole("combobox", { name: "Watches" }).selectOption("promql");
  await field(page, "Expression").fill("max by (queue) (queue_depth) > 20");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByTestId("preview-summary")).toContainText("would have fired 1 time");
  await expect(page.getByTestId("preview-summary")).toContainText("now firing");
  await page.screenshot({
    path: "test-results/screenshots/alert-rule-promql.png",
    fullPage: true,
  });
});
