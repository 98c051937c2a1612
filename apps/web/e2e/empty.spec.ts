import { adminSession } from "../playwright.config.ts";
import { expect, test } from "./browser-checks.ts";

test.use({ storageState: adminSession });

test("every page of a fresh project says what to do, and the thresholds can be changed", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("New project").fill("empty-e2e");
  await page.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]+\/settings$/);
  // The URL changes before the new project's page replaces the old one: wait for it, or the
  // thresholds below could be saved on the previous project.
  await expect(
    page.getByRole("combobox", { name: "Project" }).locator("option:checked"),
  ).toHaveText(/empty-e2e/);
  const base = new URL(page.url()).pathname.replace(/\/settings$/, "");

  // Thresholds: the defaults, changed and kept.
  const thresholds = page.getByRole("form", { name: "thresholds" });
  await expect(thresholds.getByLabel("Shard skew (max ÷ mean) warning")).toHaveValue("1.5");
  await thresholds.getByLabel("Shard skew (max ÷ mean) warning").fill("1.2");
  await thresholds.getByRole("button", { name: "Save thresholds" }).click();
  await expect(page.getByText("Thresholds saved.")).toBeVisible();
  await thresholds.getByLabel("Error rate warning").fill("9");
  await thresholds.getByLabel("Error rate bad").fill("2");
  await thresholds.getByRole("button", { name: "Save thresholds" }).click();
  await expect(thresholds.getByRole("alert")).toContainText(
    "thresholds.errorRate: warning must be below bad",
  );
  await page.reload();
  await expect(thresholds.getByLabel("Shard skew (max ÷ mean) warning")).toHaveValue("1.2");
  await expect(thresholds.getByLabel("Error rate warning")).toHaveValue("1");

  const pages: [string, string, string][] = [
    ["", "No data yet", "overview"],
    ["/traces", "No traces match in this range.", "traces"],
    ["/map", "No services yet", "map"],
    ["/metrics", "No metrics yet", "metrics"],
    ["/dashboards", "No dashboards yet.", "dashboards"],
    ["/services/checkout", "This service has sent no telemetry to this project.", "service"],
  ];
  for (const [path, text, name] of pages) {
    await page.goto(`${base}${path}`);
    await expect(page.getByText(text).first()).toBeVisible();
    await page.screenshot({ path: `test-results/screenshots/empty-${name}.png`, fullPage: true });
  }
  await page.goto(`${base}/registry`);
  await expect(page.getByText(/No instances/i).first()).toBeVisible();
});
