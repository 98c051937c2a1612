import { context, SpanKind, SpanStatusCode, trace } from "@opentelemetry/api";
import { adminSession } from "../playwright.config.ts";
import { sendSpans } from "../src/testing/otlp-send.ts";
import { expect, test } from "./browser-checks.ts";
import { createIngestKey } from "./ingest-key.ts";

test.use({ storageState: adminSession });

test("the service map draws calls between services and to databases, with rates and errors", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "map-e2e");
  // storefront → catalog four times, one of which fails; catalog queries PostgreSQL each time.
  await sendSpans(baseURL as string, key, (tracerOf) => {
    for (let i = 0; i < 4; i++) {
      const root = tracerOf("storefront").startSpan("GET /", { kind: SpanKind.SERVER });
      const call = tracerOf("catalog").startSpan(
        "GET /items",
        { kind: SpanKind.SERVER },
        trace.setSpan(context.active(), root),
      );
      const query = tracerOf("catalog").startSpan(
        "SELECT items",
        { kind: SpanKind.CLIENT, attributes: { "db.system.name": "postgresql" } },
        trace.setSpan(context.active(), call),
      );
      query.end();
      if (i === 0) call.setStatus({ code: SpanStatusCode.ERROR });
      call.end();
      root.end();
    }
  });

  await page.getByRole("navigation").getByRole("link", { name: "Map" }).click();
  await expect(page.getByRole("img", { name: "service map" })).toBeVisible();
  const call = page.getByRole("row", { name: "storefront calls catalog" });
  await expect(call).toContainText("4");
  await expect(call).toContainText("25.0 %");
  const query = page.getByRole("row", { name: "catalog calls postgresql" });
  await expect(query).toContainText("(database)");
  await expect(query).toContainText("0.0 %");
  await page.screenshot({ path: "test-results/screenshots/service-map.png", fullPage: true });
});
