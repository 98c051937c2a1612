import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { adminSession } from "../playwright.config.ts";
import { sendMetrics, sendSpans } from "../src/testing/otlp-send.ts";
import { expect, test } from "./browser-checks.ts";
import { createIngestKey } from "./ingest-key.ts";

test.use({ storageState: adminSession });

const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1];

test("the service page shows RED per route, its instances, operations, traces and dependencies", async ({
  page,
  baseURL,
}) => {
  const base = baseURL as string;
  const key = await createIngestKey(page, "service-e2e");
  // /pay: 90 × 20 ms and 10 failures × 600 ms → 10 % errors, p95 625 ms (inside the 0.5–0.75 s
  // bucket); /refund: 50 × 40 ms → p95 49 ms. 150 requests, 10 failed in all.
  await sendMetrics(base, key, "payments", (provider) => {
    const meter = provider.getMeter("e2e");
    const histogram = meter.createHistogram("http.server.request.duration", {
      unit: "s",
      advice: { explicitBucketBoundaries: BOUNDS },
    });
    for (let i = 0; i < 90; i++)
      histogram.record(0.02, { "http.route": "/pay", "http.response.status_code": 200 });
    for (let i = 0; i < 10; i++)
      histogram.record(0.6, { "http.route": "/pay", "http.response.status_code": 503 });
    for (let i = 0; i < 50; i++)
      histogram.record(0.04, { "http.route": "/refund", "http.response.status_code": 200 });
    meter.createGauge("process.cpu.utilization").record(0.4);
  });
  // storefront → payments POST /pay → PostgreSQL; a failing POST /refund.
  await sendSpans(base, key, (tracer) => {
    const start = Date.now();
    const root = tracer("storefront").startSpan("GET /checkout", {
      kind: SpanKind.SERVER,
      startTime: start,
    });
    const pay = tracer("payments").startSpan(
      "POST /pay",
      { kind: SpanKind.SERVER, startTime: start + 5 },
      trace.setSpan(context.active(), root),
    );
    const query = tracer("payments").startSpan(
      "INSERT payments",
      {
        kind: SpanKind.CLIENT,
        startTime: start + 10,
        attributes: { "db.system.name": "postgresql" },
      },
      trace.setSpan(context.active(), pay),
    );
    query.end(start + 30);
    pay.end(start + 40);
    root.end(start + 45);
    const refund = tracer("payments").startSpan("POST /refund", {
      kind: SpanKind.SERVER,
      startTime: start + 50,
    });
    refund.setStatus({ code: SpanStatusCode.ERROR, message: "card network down" });
    refund.end(start + 70);
  });
  const registered = await fetch(`${base}/v1/agent/service/register`, {
    method: "PUT",
    headers: { "x-consul-token": key },
    body: JSON.stringify({
      Name: "payments",
      ID: "payments-1",
      Address: "10.0.0.7",
      Port: 8080,
      Meta: { version: "2.1.0" },
      Check: { TTL: "120s", Status: "passing" },
    }),
  });
  expect(registered.status).toBe(200);

  await page.goto("/");
  await page
    .getByRole("row", { name: "service payments" })
    .getByRole("link", { name: "payments" })
    .click();
  await expect(page.getByRole("heading", { name: "payments", level: 1 })).toBeVisible();
  const summary = page.getByRole("definition");
  await expect(page.getByLabel("service summary")).toContainText("6.7 %");
  await expect(summary.nth(5)).toHaveText("1/1");
  const pay = page.getByRole("row", { name: "route /pay" });
  await expect(pay).toContainText("10.0 %");
  await expect(pay).toContainText("625 ms");
  await expect(page.getByRole("row", { name: "route /refund" })).toContainText("49 ms");
  await expect(
    page.getByRole("img", { name: "p95 of http.server.request.duration" }),
  ).toBeVisible();
  await expect(page.getByRole("img", { name: "avg of process.cpu.utilization" })).toBeVisible();
  const instance = page.getByRole("row", { name: "instance payments-1" });
  await expect(instance).toContainText("10.0.0.7:8080");
  await expect(instance).toContainText("passing");
  await expect(instance).toContainText("2.1.0");
  const failing = page.getByRole("region", { name: "Failing operations" });
  await expect(failing.getByRole("row", { name: "operation POST /refund" })).toContainText("1");
  await expect(page.getByRole("region", { name: "Slowest operations" })).toContainText("POST /pay");
  await expect(page.getByRole("region", { name: "Recent traces" })).toContainText("GET /checkout");
  const dependencies = page.getByRole("region", { name: "Dependencies" });
  await expect(dependencies.getByRole("row", { name: "dependency postgresql" })).toContainText(
    "database",
  );
  await expect(dependencies).toContainText("Called by storefront");
  await page.screenshot({ path: "test-results/screenshots/service.png", fullPage: true });

  // A point on a chart opens the traces of its step.
  const chart = page.getByRole("img", { name: "rate of http.server.request.duration" });
  const dot = chart.locator(".recharts-line-dot").first();
  await dot.hover();
  await chart.locator(".recharts-active-dot").first().click();
  await expect(page).toHaveURL(/\/traces\?service=payments&from=\d+&to=\d+/);
  await expect(page.getByRole("combobox", { name: "Time range" })).toHaveValue("custom");
});
