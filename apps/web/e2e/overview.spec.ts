import { adminSession } from "../playwright.config.ts";
import { sendMetrics } from "../src/testing/otlp-send.ts";
import { expect, test } from "./browser-checks.ts";
import { createIngestKey } from "./ingest-key.ts";

test.use({ storageState: adminSession });

test("the overview shows each service's errors and latency and the cache, replica and shard signals that were sent", async ({
  page,
  baseURL,
}) => {
  const key = await createIngestKey(page, "overview-e2e");
  const base = baseURL as string;
  // checkout: 100 requests, 95 × 20 ms (200) and 5 × 600 ms (500) → 5 % errors, p95 25 ms.
  await sendMetrics(base, key, "checkout", (provider) => {
    const histogram = provider.getMeter("e2e").createHistogram("http.server.request.duration", {
      unit: "s",
      advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1] },
    });
    for (let i = 0; i < 95; i++) histogram.record(0.02, { "http.response.status_code": 200 });
    for (let i = 0; i < 5; i++) histogram.record(0.6, { "http.response.status_code": 500 });
    const meter = provider.getMeter("e2e");
    meter.createGauge("process.cpu.utilization").record(0.25);
    meter.createGauge("process.memory.usage", { unit: "By" }).record(100 * 1024 * 1024);
    meter.createCounter("business.orders").add(3);
    meter.createCounter("business.revenue").add(42.5, { currency: "EUR" });
  });
  // billing runs in staging, to pick one environment on the overview.
  await sendMetrics(
    base,
    key,
    "billing",
    (provider) =>
      provider
        .getMeter("e2e")
        .createHistogram("http.server.request.duration", { unit: "s" })
        .record(0.01, { "http.response.status_code": 200 }),
    { "deployment.environment.name": "staging" },
  );
  // sessions cache 750 hits / 250 misses; replica-1 7.5 s and 2 MiB behind; shards 300 / 100 rows.
  await sendMetrics(base, key, "ledger", (provider) => {
    const meter = provider.getMeter("e2e");
    const cache = { "cache.name": "sessions" };
    meter.createCounter("redis.keyspace.hits").add(750, cache);
    meter.createCounter("redis.keyspace.misses").add(250, cache);
    const replica = { replication_client: "replica-1", "vigil.lag.source": "replica" };
    meter
      .createGauge("postgresql.wal.delay", { unit: "s" })
      .record(7.5, { ...replica, operation: "replay" });
    meter
      .createGauge("postgresql.replication.data_delay", { unit: "By" })
      .record(2 * 1024 * 1024, replica);
    const rows = meter.createGauge("vigil.shard.rows");
    rows.record(300, { "vigil.shard.id": "shard-a", "vigil.shard.store": "orders-db" });
    rows.record(100, { "vigil.shard.id": "shard-b", "vigil.shard.store": "orders-db" });
  });

  await page.goto("/");
  await page.getByRole("combobox", { name: "Time range" }).selectOption("6h");
  await expect(page).toHaveURL(/range=6h/);
  const checkout = page.getByRole("row", { name: "service checkout" });
  await expect(checkout).toContainText("5.0 %");
  await expect(checkout).toContainText("25 ms");
  await expect(checkout).toContainText("700 ms");
  await expect(page.getByRole("listitem", { name: "cache sessions" })).toContainText("75.0 %");
  const replica = page.getByRole("listitem", { name: "replica replica-1" });
  await expect(replica).toContainText("7.5 s");
  await expect(replica).toContainText("2.0 MiB behind");
  const shards = page.getByRole("listitem", { name: "shards of orders-db" });
  await expect(shards).toContainText("skew 1.50");
  await expect(shards).toContainText("Largest: shard-a");
  const infra = page.getByRole("row", { name: "infrastructure of checkout" });
  await expect(infra).toContainText("25.0 %");
  await expect(infra).toContainText("100 MiB");
  await expect(page.getByRole("listitem", { name: "business.orders" })).toContainText("3");
  await expect(page.getByRole("listitem", { name: "business.revenue" })).toContainText("42.5");
  // At a glance: every signal past its thresholds, named, above the details.
  const attention = page.getByRole("region", { name: "needs attention" });
  await expect(attention).toContainText("checkout");
  await expect(attention).toContainText("5.0 % of requests failing");
  await expect(attention).toContainText("cache sessions");
  await expect(attention).toContainText("hit rate 75.0 %");
  await expect(attention).toContainText("replica replica-1");
  await expect(attention).toContainText("7.5 s behind (2.0 MiB)");
  await page.screenshot({ path: "test-results/screenshots/overview.png", fullPage: true });

  // The URL alone reproduces the view.
  await page.goto(page.url());
  await expect(page.getByRole("combobox", { name: "Time range" })).toHaveValue("6h");
  await expect(page.getByRole("row", { name: "service checkout" })).toContainText("5.0 %");

  // One environment at a time.
  await page.getByRole("combobox", { name: "Environment" }).selectOption("staging");
  await expect(page).toHaveURL(/environment=staging/);
  await expect(page.getByRole("row", { name: "service billing" })).toBeVisible();
  await expect(page.getByRole("row", { name: "service checkout" })).toHaveCount(0);
});
