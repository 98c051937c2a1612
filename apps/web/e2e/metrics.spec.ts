import { expect, test } from "@playwright/test";
import { adminSession } from "../playwright.config.ts";
import { createIngestKey } from "./ingest-key.ts";
import { sendMetrics } from "./send.ts";

test.use({ storageState: adminSession });

test("the metrics page charts any metric with the chosen aggregation, and explains one that does not apply", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "metrics-e2e");
  await sendMetrics(baseURL as string, key, "accounts", (provider) =>
    provider.getMeter("e2e").createCounter("business.signups").add(7, { plan: "pro" }),
  );

  await page.getByRole("navigation").getByRole("link", { name: "Metrics" }).click();
  await page.getByLabel("Metric").selectOption("business.signups");
  await page.getByLabel("Aggregation").selectOption("sum");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/name=business\.signups.*agg=sum/);
  await expect(page.getByRole("img", { name: "sum of business.signups" })).toBeVisible();
  await expect(page.getByRole("definition").first()).toHaveText("7");
  await page.screenshot({ path: "test-results/screenshots/metrics.png", fullPage: true });

  await page.getByLabel("Aggregation").selectOption("p95");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "agg=p95 needs an explicit-bucket histogram; business.signups is a sum" }),
  ).toBeVisible();
});
