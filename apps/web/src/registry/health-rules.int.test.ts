import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { createHealthRule, evaluateHealthRules } from "./health-rules.ts";
import { registerInstance, serviceHealth } from "./registry.ts";

setupTestDatabase();

let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let projectId: string;
let ingestKey: string;
beforeAll(async () => {
  controlPlane = await startControlPlane();
  ({ projectId } = await createOrgWithProject());
  ingestKey = (await createApiKey({ projectId, name: "agent", scope: "ingest" })).secret;
});
afterAll(() => controlPlane.close());

/** The replica reports its replication lag (seconds) as an OpenTelemetry gauge over OTLP. */
async function reportLag(instance: string, seconds: number, atMs: number) {
  const response = await fetch(`${controlPlane.url}/v1/metrics`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
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
  (await serviceHealth(projectId, "catalog-db", { passing: true })).map((instance) => instance.id);

describe("health rules from telemetry", () => {
  it("turn a lagging replica to warning, so ?passing drops it, and bring it back when the lag recovers", async () => {
    for (const id of ["replica-1", "replica-2"]) {
      await registerInstance(
        projectId,
        { Name: "catalog-db", ID: id, Check: { TTL: "10m", Status: "passing" } },
        { allowInternal: true },
      );
    }
    await createHealthRule(projectId, {
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
    const [lagging] = await serviceHealth(projectId, "catalog-db", { passing: false });
    expect(lagging?.checks.find((check) => check.kind === "rule")).toMatchObject({
      status: "warning",
      output: "last(postgresql.wal.delay) over 60s = 7.5 (> 5 is true)",
    });

    await reportLag("replica-1", 0.4, now - 1000);
    expect(await evaluateHealthRules(now)).toBe(1);
    expect(await passing()).toEqual(["replica-1", "replica-2"]);
  });
});
