import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { expect, test } from "@playwright/test";
import { adminSession } from "../playwright.config.ts";
import { createIngestKey } from "./ingest-key.ts";

test.use({ storageState: adminSession });

function tracer(service: string, memory: InMemorySpanExporter) {
  return new TracerProvider({
    resource: resourceFromAttributes({ "service.name": service }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  }).getTracer("e2e");
}

/** gateway GET /orders (120 ms) calling orders POST /reserve (80 ms), which fails. */
function recordTrace(): ReadableSpan[] {
  const memory = new InMemorySpanExporter();
  const start = Date.now() - 1_000;
  const root = tracer("gateway", memory).startSpan("GET /orders", {
    kind: SpanKind.SERVER,
    startTime: start,
  });
  const child = tracer("orders", memory).startSpan(
    "POST /reserve",
    { kind: SpanKind.SERVER, startTime: start + 20, attributes: { "order.id": "42" } },
    trace.setSpan(context.active(), root),
  );
  child.addEvent("retry", { attempt: 2 }, start + 50);
  child.setStatus({ code: SpanStatusCode.ERROR, message: "stock service timed out" });
  child.end(start + 100);
  root.end(start + 120);
  return memory.getFinishedSpans();
}

test("trace search finds a trace by service, and its waterfall shows both services and the failure", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "traces-e2e");
  const exporter = new OTLPTraceExporter({
    url: `${baseURL}/v1/traces`,
    headers: { authorization: `Bearer ${key}` },
  });
  await new Promise<void>((resolve, reject) =>
    exporter.export(recordTrace(), (result) =>
      result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error),
    ),
  );

  await page.getByRole("navigation").getByRole("link", { name: "Traces" }).click();
  await page.getByLabel("Service").selectOption("gateway");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL(/service=gateway/);
  const row = page.getByRole("row", { name: "trace gateway GET /orders" });
  await expect(row).toContainText("120 ms");
  await expect(row).toContainText("2");
  await page.screenshot({ path: "test-results/screenshots/traces.png", fullPage: true });

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
