import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { adminSession } from "../playwright.config.ts";
import { sendSpans } from "../src/testing/otlp-send.ts";
import { expect, test } from "./browser-checks.ts";
import { createIngestKey } from "./ingest-key.ts";

test.use({ storageState: adminSession });

test("trace search finds a trace by service, and its waterfall shows both services and the failure", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "traces-e2e");
  // gateway GET /orders (120 ms) calling orders POST /reserve (80 ms), which fails.
  await sendSpans(baseURL as string, key, (tracer) => {
    const start = Date.now() - 1_000;
    const root = tracer("gateway").startSpan("GET /orders", {
      kind: SpanKind.SERVER,
      startTime: start,
    });
    const child = tracer("orders").startSpan(
      "POST /reserve",
      { kind: SpanKind.SERVER, startTime: start + 20, attributes: { "order.id": "42" } },
      trace.setSpan(context.active(), root),
    );
    child.addEvent("retry", { attempt: 2 }, start + 50);
    child.setStatus({ code: SpanStatusCode.ERROR, message: "stock service timed out" });
    child.end(start + 100);
    root.end(start + 120);
  });

  await page.getByRole("navigation").getByRole("link", { name: "Traces" }).click();
  await expect(page).toHaveURL(/\/traces$/);
  const service = page.getByRole("combobox", { name: "Service", exact: true });
  await service.selectOption("gateway");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/service=gateway/);
  const row = page.getByRole("row", { name: "trace gateway GET /orders" });
  await expect(row).toContainText("120 ms");
  await expect(row).toContainText("2");
  await page.screenshot({ path: "test-results/screenshots/traces.png", fullPage: true });

  // By a span attribute (typed as text, stored as a string) and by operation, without the service.
  await service.selectOption("");
  await page.getByLabel("Attributes").fill("order.id=42");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/attributes=order\.id%3D42/);
  await expect(row).toBeVisible();
  await page.getByLabel("Attributes").fill("order.id=43");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("No traces match in this range.")).toBeVisible();
  await page.getByLabel("Attributes").fill("");
  await page.getByLabel("Operation").fill("POST /reserve");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(row).toBeVisible();
  await expect(page.getByRole("row")).toHaveCount(2);

  await row.getByRole("link", { name: "GET /orders" }).click();
  await expect(page.getByRole("heading", { name: "GET /orders" })).toBeVisible();
  await expect(page.getByText("2 spans · 2 services")).toBeVisible();
  await expect(page.getByText("1 failed")).toBeVisible();
  // The failing call is what the request waited for: it is on the critical path.
  const failed = page.getByRole("listitem", { name: "span POST /reserve (critical path)" });
  await failed.locator("summary").click();
  await expect(failed).toContainText("stock service timed out");
  await expect(failed).toContainText("order.id");
  await expect(failed).toContainText("retry");
  await page.screenshot({ path: "test-results/screenshots/trace.png", fullPage: true });
});

test("trace search says so when nothing matches", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Traces" }).click();
  await expect(page).toHaveURL(/\/traces$/);
  await page.goto(`${page.url()}?minDurationMs=3600000&range=15m`);
  await expect(page.getByLabel("Slower than (ms)")).toHaveValue("3600000");
  await expect(page.getByText("No traces match in this range.")).toBeVisible();
});
