import type { Page } from "@playwright/test";

/** Creates an ingest key through Settings, as an admin would, and returns its secret. */
export async function createIngestKey(page: Page, name: string): Promise<string> {
  await page.goto("/");
  await page.getByRole("navigation").getByRole("link", { name: "Settings" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
  return (await page.getByTestId("new-secret").textContent()) ?? "";
}
