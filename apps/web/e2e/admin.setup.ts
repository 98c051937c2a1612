import { adminSession, e2eAdmin } from "../playwright.config.ts";
import { expect, test as setup } from "./browser-checks.ts";

setup("sign in as the bootstrap admin", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill(e2eAdmin.email);
  await page.getByLabel("Password").fill(e2eAdmin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await page.context().storageState({ path: adminSession });
});
