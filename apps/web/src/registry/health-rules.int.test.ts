import { describe, expect, it } from "vitest";
import { setupIngest } from "../testing/ingest-setup.ts";
import { createHealthRule, evaluateHealthRules } from "./health-rules.ts";
import { registerInstance, serviceHealth } from "./registry.ts";

const plane = setupIngest();

/** The replica reports its replication lag (seconds) as an OpenTelemetry gauge over OTLP. */
async function reportLag(instance: string, seconds: number, atMs: number) {
  const response = await fetch(`${plane.url}/v1/metrics`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${plane.ingestKey}` },
    body: JSON.stringify({
      resourceMetrics: [
        {
          resource: {
            attributes: [
              { key: "service.name", value: { stringValue: "catalog-db" } },
              { key: "service.instance.id", value: { stringValue: instance } },
            ],
          },
          scopeMetrics: [
            {
              metrics: [
                {
                  name: "postgresql.wal.delay",
                  unit: "s",
                  gauge: {
                    dataPoints: [
                      { timeUnixNano: (BigInt(atMs) * 1_000_000n).toString(), asDouble: seconds },
                    ],
                  },
                },
              ],
            },
          ],
        },
      ],
    }),
  });
  expect(response.status).toBe(200);
}

const passing = async () =>
  (await serviceHealth(plane.projectId, "catalog-db", { passing: true })).map(
    (instance) => instance.id,
  );

describe("health rules from telemetry", () => {
  it("turn a lagging replica to warning, so ?passing drops it, and bring it back when the lag recovers", async () => {
    for (const id of ["replica-1", "replica-2"]) {
      await registerInstance(
        plane.projectId,
        { Name: "catalog-db", ID: id, Check: { TTL: "10m", Status: "passing" } },
        { allowInternal: true },
      );
    }
    await createHealthRule(plane.projectId, {
      name: "replica lag",
      metric: "postgresql.wal.delay",
      aggregation: "last",
      windowSeconds: 60,
      comparison: ">",
      threshold: 5,
      status: "warning",
    });
    const now = Date.now();
    await reportLag("replica-1", 7.5, now - 2000);
    await reportLag("replica-2", 0.2, now - 2000);

    expect(await evaluateHealthRules(now)).toBe(2); // both get the rule's check: one warning, one passing
    expect(await passing()).toEqual(["replica-2"]);
    const [lagging] = await serviceHealth(plane.projectId, "catalog-db", { passing: false });
    expect(lagging?.checks.find((check) => check.kind === "rule")).toMatchObject({
      status: "warning",
      output: "last(postgresql.wal.delay) over 60s = 7.5 (> 5 is true)",
    });
    // The agent sends its registration again (anti-entropy), changed or not: the rule's check,
    // which Vigil keeps itself, stays, and the lagging replica stays out of ?passing.
    for (const port of [5432, 5433])
      await registerInstance(
        plane.projectId,
        {
          Name: "catalog-db",
          ID: "replica-1",
          Port: port,
          Check: { TTL: "10m", Status: "passing" },
        },
        { allowInternal: true },
      );
    expect(await passing()).toEqual(["replica-2"]);

    await reportLag("replica-1", 0.4, now - 1000);
    expect(await evaluateHealthRules(now)).toBe(1);
    expect(await passing()).toEqual(["replica-1", "replica-2"]);
  });
});
