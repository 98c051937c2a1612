import { createConnection } from "node:net";
import type { Page } from "@playwright/test";
import { expect as baseExpect, test } from "./browser-checks.ts";
import { e2eEnv } from "./env.ts";
import { commandLine, descendants, npmStart, type Product } from "./npm-start.ts";

// The README's quick start, for real: `npm start` on a fresh data folder runs Vigil on its
// embedded PostgreSQL and the demo fleet beside it. A new user should see a live shop, break
// it from the Demo panel, watch each signal move, and stop it all with Ctrl-C.

test.describe.configure({ mode: "serial" });
// The fleet's ten processes share two cores with the other test tasks: pages can be slow to come.
const expect = baseExpect.configure({ timeout: 30_000 });

const base = `http://localhost:${e2eEnv.demoPort}`;
const admin = { email: "demo-admin@vigil.test", password: "demo-admin-password" };
const SERVICES = ["gateway", "users", "products", "orders", "payments"];
let product: Product;
let overviewUrl: string;

test.beforeAll(async () => {
  test.setTimeout(300_000); // the first build (turbo has it cached) and two PostgreSQL clusters
  product = await npmStart(e2eEnv.demoPort, {
    VIGIL_INIT_ADMIN_EMAIL: admin.email,
    VIGIL_INIT_ADMIN_PASSWORD: admin.password,
  });
  await product.line(/demo fleet running in project demo/);
});

test.afterAll(async () => {
  // Only if a test failed before the Ctrl-C test: leave nothing behind.
  const { child } = product ?? {};
  if (child && child.exitCode === null && child.signalCode === null) {
    process.kill(-(child.pid as number), "SIGINT");
    await product.exited;
  }
});

async function signIn(page: Page) {
  await page.goto(`${base}/sign-in`);
  await page.getByLabel("Email").fill(admin.email);
  await page.getByLabel("Password").fill(admin.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  await expect(page.getByRole("combobox", { name: "Project" })).toHaveValue(/.+/);
  await expect(
    page.getByRole("combobox", { name: "Project" }).locator("option:checked"),
  ).toHaveText(/Demo shop/);
  overviewUrl = page.url().replace(/\?.*$/, "");
}

/** A number shown in a locator's text, after reloading `url` (polled by the callers). */
async function numberIn(page: Page, url: string, name: string, pattern: RegExp): Promise<number> {
  await page.goto(url);
  const text = (await page.getByRole("listitem", { name }).textContent()) ?? "";
  const match = pattern.exec(text);
  return match ? Number(match[1]) : Number.NaN;
}

/** Waits until the demo receiver has been sent a notification for `alert`. */
async function alertArrives(page: Page, demo: string, alert: string) {
  await expect(async () => {
    await page.goto(demo);
    await expect(page.getByRole("region", { name: "Alerts the demo receiver got" })).toContainText(
      alert,
      { timeout: 1_000 },
    );
  }).toPass({ timeout: 90_000, intervals: [2_000] });
}

const shot = (page: Page, name: string) =>
  page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });

test("a first start shows five live services, the scaling signals and cross-service traces", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  // Everything on the Overview, refreshed until the fleet's first minute of data is in.
  await expect(async () => {
    await page.goto(`${overviewUrl}?range=15m`);
    for (const service of SERVICES) {
      const row = page.getByRole("row", { name: `service ${service}` });
      await expect(row).toContainText("2/2 instances passing", { timeout: 1_000 });
      await expect(row).toContainText(/\d+(\.\d+)?\/s/, { timeout: 1_000 });
    }
    await expect(page.getByRole("listitem", { name: "cache users" })).toContainText("%", {
      timeout: 1_000,
    });
    await expect(page.getByRole("listitem", { name: "replica products-replica" })).toContainText(
      " s",
      { timeout: 1_000 },
    );
    await expect(page.getByRole("listitem", { name: "shards of orders-db" })).toContainText(
      /skew \d/,
      { timeout: 1_000 },
    );
    for (const metric of ["business.orders", "business.revenue", "business.signups"])
      await expect(page.getByRole("listitem", { name: metric })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 150_000, intervals: [2_000] });
  const seconds = Math.round((Date.now() - product.startedAt) / 1000);
  process.stdout.write(`demo: every panel had data ${seconds} s after npm start\n`);
  await expect(page.getByRole("row", { name: "infrastructure of payments" })).toContainText("%");
  await shot(page, "demo-overview");

  // The map: the gateway calls the services, orders calls products and (through the bus) payments.
  await expect(async () => {
    await page.goto(`${overviewUrl}/map?range=15m`);
    for (const edge of [
      "gateway calls users",
      "gateway calls products",
      "gateway calls orders",
      "orders calls products",
      "orders calls payments",
      "products calls postgresql",
    ])
      await expect(page.getByRole("row", { name: edge })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await shot(page, "demo-map");

  // One order's trace: gateway → users → orders → products and the database → bus → payments.
  await page.goto(`${overviewUrl}/traces?service=payments&range=15m`);
  await page
    .getByRole("row", { name: /trace gateway POST \/api\/orders/ })
    .first()
    .getByRole("link")
    .click();
  await expect(page.getByText(/spans · 5 services/)).toBeVisible();
  for (const span of [
    "POST /api/orders",
    "GET /users/:id",
    "cache users get",
    "POST /orders",
    "orders publish",
    "orders process",
  ])
    await expect(
      page.getByRole("listitem", { name: new RegExp(`^span ${span}`) }).first(),
    ).toBeVisible();
  await shot(page, "demo-trace");
});

test("for its first two minutes every instance is reachable at its registered port and no request fails", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page);
  const projectId = new URL(overviewUrl).pathname.split("/")[2] as string;
  const input = encodeURIComponent(JSON.stringify({ json: { projectId } }));
  const answer = await page.request.get(`${base}/api/trpc/registry.instances?input=${input}`);
  const instances = (
    (await answer.json()) as {
      result: { data: { json: { id: string; address: string; port: number }[] } };
    }
  ).result.data.json;
  expect(instances.map((instance) => instance.id).sort()).toHaveLength(10);
  for (const instance of instances) {
    expect(instance.port, instance.id).toBeGreaterThan(0);
    await connects(instance.address || "127.0.0.1", instance.port);
  }
  // The fleet's first two minutes are the claim: the clock itself is what is waited for.
  const left = product.startedAt + 120_000 - Date.now();
  if (left > 0) await new Promise((resolve) => setTimeout(resolve, left));
  await page.goto(`${overviewUrl}?range=15m`);
  for (const service of SERVICES)
    await expect(page.getByRole("row", { name: `service ${service}` })).toContainText(
      /(?<![\d,])0 failed/,
    );
});

/** Resolves once a TCP connection to the address opens (the instance accepts connections). */
function connects(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host, port }, () => {
      socket.destroy();
      resolve();
    });
    socket.on("error", (error) => reject(new Error(`${host}:${port}: ${error.message}`)));
  });
}

test("each incident switch moves the signal an operator watches", async ({ page }) => {
  test.setTimeout(420_000);
  await signIn(page);
  const demo = `${overviewUrl}/demo`;
  const flip = async (button: string) => {
    await page.goto(demo);
    await page.getByRole("button", { name: button }).click();
  };
  const overview = `${overviewUrl}?range=15m`;

  // Pause the replica's replay: its lag passes 1 s, and ReplicaLagging reaches the receiver.
  await flip("Pause replay");
  await expect(page.getByTestId("state-replica-paused")).toHaveText("on");
  await expect
    .poll(() => numberIn(page, overview, "replica products-replica", /([\d.]+) s/), {
      timeout: 60_000,
      intervals: [2_000],
    })
    .toBeGreaterThan(1);
  await shot(page, "demo-replica-lag");
  await alertArrives(page, demo, "ReplicaLagging");
  await flip("Resume replay");

  // Flush the cache: the hit rate after the flush is below the hit rate before it.
  const flushedAt = Date.now();
  const window = (from: number, to: number) => `${overviewUrl}?from=${from}&to=${to}`;
  const before = await numberIn(
    page,
    window(flushedAt - 60_000, flushedAt),
    "cache users",
    /([\d.]+) %/,
  );
  await flip("Flush now");
  await expect(page.getByTestId("state-cache-flush")).toHaveText(/flushed \d/);
  await expect
    .poll(
      () => numberIn(page, window(flushedAt, Date.now() + 1_000), "cache users", /([\d.]+) %/),
      { timeout: 60_000, intervals: [3_000] },
    )
    .toBeLessThan(before);
  await shot(page, "demo-cache-flush");

  // The hot tenant: acme's flash sale, pinned to orders-a, skews the shards past 1.5.
  await flip("Start the sale");
  await expect
    .poll(() => numberIn(page, overview, "shards of orders-db", /skew ([\d.]+)/), {
      timeout: 120_000,
      intervals: [3_000],
    })
    .toBeGreaterThan(1.5);
  await shot(page, "demo-hot-tenant");
  await flip("End the sale");

  // Slow down products: requests wait 0.4–2 s, and ServiceSlow (p95 over 0.5 s) fires.
  await flip("Slow it down");
  await expect(page.getByTestId("state-slow-service")).toHaveText("on");
  await alertArrives(page, demo, "ServiceSlow");
  await flip("Back to normal");

  // Kill users-2: it turns critical in the registry, and the gateway stops sending to it.
  await flip("Kill users-2");
  await expect(async () => {
    await page.goto(`${overviewUrl}/registry`);
    await expect(page.getByRole("listitem", { name: "instance users-2" })).toContainText(
      "critical",
      {
        timeout: 1_000,
      },
    );
  }).toPass({ timeout: 60_000, intervals: [1_000] });
  await shot(page, "demo-instance-critical");
  await alertArrives(page, demo, "InstanceDown");
  const sent = async (instance: string) => {
    await page.goto(demo);
    const row = page.getByTestId(`balance-${instance}`);
    await expect(row).toContainText(/yes|no/);
    return {
      inRotation: (await row.locator("td").nth(2).textContent()) ?? "",
      count: Number(await row.locator("td").nth(3).textContent()),
    };
  };
  await expect
    .poll(async () => (await sent("users-2")).inRotation, { timeout: 30_000 })
    .toBe("no (down)");
  const killed = (await sent("users-2")).count;
  const survivor = (await sent("users-1")).count;
  await expect
    .poll(async () => (await sent("users-1")).count, { timeout: 60_000, intervals: [2_000] })
    .toBeGreaterThan(survivor + 20);
  expect((await sent("users-2")).count).toBe(killed);
  await shot(page, "demo-panel");
  // Started again, it registers, passes and is back in the gateway's rotation.
  await flip("Start it again");
  await expect(page.getByTestId("state-kill-instance")).toHaveText("off");
  await expect
    .poll(async () => (await sent("users-2")).inRotation, { timeout: 30_000 })
    .toBe("yes");
});

test("Ctrl-C stops Vigil, the fleet and every database it started", async () => {
  test.setTimeout(90_000);
  const root = product.child.pid as number;
  const started = descendants(root);
  const running = started.filter((pid) => commandLine(pid) !== null);
  // npm, the control plane, the fleet, ten instances and three PostgreSQL servers' processes.
  expect(running.filter((pid) => commandLine(pid)?.startsWith("vigil-demo ")).length).toBe(11);
  process.kill(-root, "SIGINT"); // what a terminal sends the foreground group on Ctrl-C
  await product.exited;
  await expect
    .poll(() => running.filter((pid) => commandLine(pid) !== null).map((pid) => commandLine(pid)), {
      timeout: 60_000,
    })
    .toEqual([]);
});
