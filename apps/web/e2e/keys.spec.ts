import { adminSession, e2eAdmin } from "../playwright.config.ts";
import { expect, test } from "./browser-checks.ts";

test("an admin signs in, creates an ingest key, sees its secret once, and revokes it", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(
    page.getByRole("alert").filter({ hasText: "Wrong email or password." }),
  ).toBeVisible();

  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No data yet" })).toBeVisible();

  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "API keys" })).toBeVisible();
  await page.getByLabel("Name").fill("checkout-service");
  await page.getByRole("button", { name: "Create key" }).click();

  const secret = page.getByTestId("new-secret");
  await expect(secret).toHaveText(/^vgl_ik_[A-Za-z0-9]{32}$/);
  const secretText = (await secret.textContent()) ?? "";
  const row = page.getByRole("row", { name: /checkout-service/ });
  await expect(row).toContainText(secretText.slice(0, 12));
  await expect(row).toContainText("ingest");
  await page.screenshot({ path: "test-results/screenshots/settings-new-key.png", fullPage: true });

  // Once dismissed, the secret is gone from the page for good.
  await page.getByRole("button", { name: "Done" }).click();
  await expect(page.getByTestId("new-secret")).toHaveCount(0);
  await page.reload();
  await expect(page.getByText(secretText)).toHaveCount(0);

  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("button", { name: "Revoke checkout-service" }).click();
  await expect(page.getByRole("row", { name: /checkout-service/ })).toContainText("revoked");
  await page.screenshot({
    path: "test-results/screenshots/settings-revoked-key.png",
    fullPage: true,
  });
});

test.describe("signed in as the admin", () => {
  test.use({ storageState: adminSession });

  test("an admin creates a second project and switches between projects", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();

    await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
    await page.getByLabel("New project").fill("Staging");
    await page.getByRole("button", { name: "Create project" }).click();
    await expect(page.getByRole("combobox", { name: "Project" })).toHaveValue(/.+/);
    await expect(
      page.getByRole("combobox", { name: "Project" }).locator("option:checked"),
    ).toHaveText(/Staging/);

    // Keys belong to one project: the new project starts without any.
    await expect(page.getByText("No keys yet.")).toBeVisible();

    await page
      .getByRole("combobox", { name: "Project" })
      .selectOption({ label: "Default organisation / Default project" });
    await expect(page).toHaveURL(/\/settings$/);
    const projectLinks = page.getByRole("region", { name: "Projects" }).getByRole("link");
    // (Other tests may have made projects of their own.)
    await expect(projectLinks).toContainText(["Default project", "Staging"]);
    // The server's own start created an ingest key in the default project.
    await expect(page.getByRole("row", { name: /Generated at first start/ })).toBeVisible();
    await page.screenshot({
      path: "test-results/screenshots/settings-projects.png",
      fullPage: true,
    });
  });

  test("an admin adds a viewer, who signs in with the one-time password and cannot manage keys", async ({
    page,
    browser,
  }) => {
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();

    const email = `viewer-${Date.now()}@vigil.test`;
    const members = page.getByRole("region", { name: "Members" });
    await members.getByLabel("Email").fill(email);
    await members.getByRole("button", { name: "Add member" }).click();
    const password = (await page.getByTestId("new-secret").textContent()) ?? "";
    expect(password).toMatch(/^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    await expect(members.getByRole("listitem").filter({ hasText: email })).toBeVisible();

    const viewerContext = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const viewer = await viewerContext.newPage();
    await viewer.goto("/sign-in");
    await viewer.getByLabel("Email").fill(email);
    await viewer.getByLabel("Password").fill(password);
    await viewer.getByRole("button", { name: "Sign in" }).click();
    await expect(viewer.getByRole("button", { name: "Sign out" })).toHaveAttribute(
      "title",
      `Signed in as ${email} (viewer)`,
    );
    await viewer.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
    await expect(viewer.getByText("Only admins can see and manage API keys.")).toBeVisible();
    await expect(viewer.getByRole("button", { name: "Create key" })).toHaveCount(0);
    await expect(viewer.getByRole("button", { name: "Add member" })).toHaveCount(0);
    await viewer.screenshot({
      path: "test-results/screenshots/settings-as-viewer.png",
      fullPage: true,
    });
    await viewerContext.close();
  });
});

test("a service that sends a span with a new ingest key shows up on the overview", async ({
  page,
  request,
}) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  const overview = page.url();

  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Name").fill("inventory-service");
  await page.getByRole("button", { name: "Create key" }).click();
  const key = (await page.getByTestId("new-secret").textContent()) ?? "";

  const nowNs = (BigInt(Date.now()) * 1_000_000n).toString();
  const sent = await request.post("/v1/traces", {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    data: {
      resourceSpans: [
        {
          resource: {
            attributes: [
              { key: "service.name", value: { stringValue: "inventory" } },
              { key: "service.version", value: { stringValue: "3.1.0" } },
              { key: "deployment.environment.name", value: { stringValue: "production" } },
            ],
          },
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "0af7651916cd43dd8448eb211c80319c",
                  spanId: "b7ad6b7169203331",
                  name: "GET /stock",
                  startTimeUnixNano: nowNs,
                  endTimeUnixNano: nowNs,
                },
              ],
            },
          ],
        },
      ],
    },
  });
  expect(sent.status()).toBe(200);

  await page.goto(overview);
  const row = page.getByRole("row", { name: /inventory/ });
  await expect(row).toContainText("production");
  await expect(row).toContainText("3.1.0");
  await page.screenshot({ path: "test-results/screenshots/overview-services.png", fullPage: true });
});

test("the registry page shows a registered instance and its health change without reloading", async ({
  page,
  request,
}) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Name").fill("registry-e2e");
  await page.getByRole("button", { name: "Create key" }).click();
  const token = (await page.getByTestId("new-secret").textContent()) ?? "";
  const consul = { "x-consul-token": token };

  const registered = await request.put("/v1/agent/service/register", {
    headers: consul,
    data: {
      Name: "orders",
      ID: "orders-1",
      Address: "10.0.0.7",
      Port: 8080,
      Tags: ["eu"],
      Meta: { version: "2.4.0" },
      Check: { TTL: "10m", Status: "passing" },
    },
  });
  expect(registered.status()).toBe(200);

  await page.getByRole("navigation").getByRole("link", { name: "Registry" }).click();
  const instance = page.getByRole("listitem", { name: "instance orders-1" });
  await expect(instance).toContainText("passing");
  await expect(instance).toContainText("10.0.0.7:8080");

  // A heartbeat as @vigil/agent sends it: the state, its output and the instance's load.
  expect(
    (
      await request.put("/v1/agent/check/update/service:orders-1", {
        headers: consul,
        data: {
          Status: "critical",
          Output: "database unreachable",
          Load: { InFlight: 12, CPU: 0.4 },
        },
      })
    ).status(),
  ).toBe(200);
  // No reload: the page picks the change up by itself.
  await expect(instance).toContainText("critical");
  await expect(instance).toContainText("last heartbeat");
  await expect(instance).toContainText("database unreachable");
  await expect(instance).toContainText("12 in flight · CPU 40%");
  await page.screenshot({ path: "test-results/screenshots/registry.png", fullPage: true });
});

test.describe("registry health rules", () => {
  test.use({ storageState: adminSession });

  test("an admin adds a health rule on the registry page and sees it listed", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: "Registry" }).click();
    const card = page.getByRole("region", { name: "Health rules" });
    await card.getByLabel("Rule name").fill("replica lag");
    await card.getByLabel("Metric").fill("postgresql.wal.delay");
    await card.getByLabel("Threshold").fill("5");
    await card.getByRole("button", { name: "Add rule" }).click();
    await expect(card.getByText("last(postgresql.wal.delay) over 60s > 5 → warning")).toBeVisible();
    await page.screenshot({ path: "test-results/screenshots/registry-rules.png", fullPage: true });
  });
});
