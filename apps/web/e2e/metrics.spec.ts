import { adminSession } from "../playwright.config.ts";
import { sendMetrics } from "../src/testing/otlp-send.ts";
import { expect, test } from "./browser-checks.ts";
import { createIngestKey } from "./ingest-key.ts";

test.use({ storageState: adminSession });

test("the metrics explorer charts any metric with the chosen aggregation, and explains one that does not apply", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "metrics-e2e");
  await sendMetrics(baseURL as string, key, "accounts", (provider) =>
    provider.getMeter("e2e").createCounter("business.signups").add(7, { plan: "pro" }),
  );

  await page.getByRole("navigation").getByRole("link", { name: "Metrics" }).click();
  await page
    .getByRole("combobox", { name: "Metric", exact: true })
    .selectOption("business.signups");
  await expect(page).toHaveURL(/name=business\.signups/);
  await page.getByLabel("Aggregation").selectOption("sum");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(/name=business\.signups.*agg=sum/);
  await expect(page.getByRole("img", { name: "sum of business.signups" })).toBeVisible();
  await expect(page.getByRole("table", { name: "summary" }).getByRole("cell").first()).toHaveText(
    "7",
  );

  await page.getByLabel("Aggregation").selectOption("p95");
  await page.getByRole("button", { name: "Show" }).click();
  await expect(
    page
      .getByRole("alert")
      .filter({ hasText: "agg=p95 needs an explicit-bucket histogram; business.signups is a sum" }),
  ).toBeVisible();
});

test("a dashboard of three charts built in the explorer is there after a reload", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "dashboard-e2e");
  // Queue depth on two regions of one service, and worker count on another.
  await sendMetrics(baseURL as string, key, "inventory", (provider) => {
    const meter = provider.getMeter("e2e");
    const depth = meter.createGauge("queue.depth");
    depth.record(12, { region: "eu" });
    depth.record(30, { region: "us" });
    meter.createGauge("workers.busy").record(4);
  });
  const explore = async (search: Record<string, string>) => {
    await page.goto(`/`);
    await page.getByRole("navigation").getByRole("link", { name: "Metrics" }).click();
    await page
      .getByRole("combobox", { name: "Metric", exact: true })
      .selectOption(search.name as string);
    // Choosing the metric shows it at once and offers its attributes.
    await expect(page).toHaveURL(new RegExp(`name=${(search.name as string).replace(".", "\\.")}`));
    if (search.attributes) await page.getByLabel("Attributes").fill(search.attributes);
    if (search.groupBy) await page.getByLabel("Group by").selectOption(search.groupBy);
    await page.getByLabel("Aggregation").selectOption(search.agg as string);
    await page.getByRole("button", { name: "Show" }).click();
    await expect(page.getByRole("img", { name: `${search.agg} of ${search.name}` })).toBeVisible();
  };
  const save = async (dashboard: string, isNew: boolean) => {
    await page.getByRole("button", { name: "Save to dashboard" }).click();
    const form = page.getByRole("form", { name: "save to dashboard" });
    if (isNew) {
      await form.getByRole("combobox", { name: "Dashboard", exact: true }).selectOption("new");
      await form.getByLabel("New dashboard name").fill(dashboard);
    } else {
      await form
        .getByRole("combobox", { name: "Dashboard", exact: true })
        .selectOption({ label: dashboard });
    }
    await form.getByRole("button", { name: "Save" }).click();
    await expect(
      page.getByRole("status").filter({ hasText: `Saved to ${dashboard}` }),
    ).toBeVisible();
  };

  // 1: grouped by region — one line and one summary row per region.
  await explore({ name: "queue.depth", groupBy: "region", agg: "max" });
  const summary = page.getByRole("table", { name: "summary" });
  await expect(summary.getByRole("row", { name: /eu/ })).toContainText("12");
  await expect(summary.getByRole("row", { name: /us/ })).toContainText("30");
  await page.screenshot({ path: "test-results/screenshots/metrics.png", fullPage: true });
  await save("Inventory", true);
  // 2: filtered to one region.
  await explore({ name: "queue.depth", attributes: "region=us", agg: "avg" });
  await expect(summary.getByRole("cell").first()).toHaveText("30");
  await save("Inventory", false);
  // 3: another metric.
  await explore({ name: "workers.busy", agg: "max" });
  await save("Inventory", false);

  await page.getByRole("navigation").getByRole("link", { name: "Dashboards" }).click();
  await page.getByRole("link", { name: "Inventory" }).click();
  await expect(page).toHaveURL(/\/dashboards\/[0-9a-f-]+$/);
  await page.reload();
  await expect(page.getByRole("heading", { name: "Inventory", level: 1 })).toBeVisible();
  await expect(page.getByText("3 charts")).toBeVisible();
  const chart = (title: string) => page.getByRole("region", { name: title });
  await expect(chart("max(queue.depth) by region")).toContainText("30");
  await expect(chart("avg(queue.depth) · region=us")).toContainText("30");
  await expect(chart("max(workers.busy)")).toContainText("4");
  await page.screenshot({ path: "test-results/screenshots/dashboard.png", fullPage: true });

  // The time range is in the URL: a custom range survives a reload.
  await page.getByRole("combobox", { name: "Time range" }).selectOption("custom");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/from=\d+&to=\d+/);
  await page.reload();
  await expect(page.getByRole("combobox", { name: "Time range" })).toHaveValue("custom");
  await expect(chart("max(workers.busy)")).toContainText("4");

  await chart("avg(queue.depth) · region=us")
    .getByRole("button", { name: /Remove chart/ })
    .click();
  await expect(page.getByText("2 charts")).toBeVisible();
});
