import { setupTestDatabase } from "@vigil/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryHealth } from "../jobs/registry-health.ts";
import { startScheduler } from "../jobs/scheduler.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { waitForChange } from "./changes.ts";
import { reapCriticalInstances } from "./health-engine.ts";
import { currentIndex, registerInstance, serviceHealth, updateCheck } from "./registry.ts";

const database = setupTestDatabase();
let projectId: string;
beforeAll(async () => {
  ({ projectId } = await createOrgWithProject());
});

describe("the registry health engine", () => {
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  afterAll(async () => scheduler?.stop());

  it("turns a TTL check that stops being refreshed critical on its own, and wakes blocking readers", async () => {
    await registerInstance(projectId, {
      Name: "cart",
      ID: "cart-1",
      Check: { TTL: "1s", Status: "passing" },
    });
    scheduler = startScheduler({
      connectionString: database.url(),
      jobs: [registryHealth],
      log: pino({ level: "silent" }),
      retryMs: 100,
    });
    const index = await currentIndex(projectId);
    // Nobody refreshes the check: the leader's job expires it, which moves the index.
    await waitForChange(projectId, index, 5000);
    const [cart] = await serviceHealth(projectId, "cart", { passing: false });
    expect(cart?.checks[0]).toMatchObject({ status: "critical", output: "TTL expired" });
    expect(await serviceHealth(projectId, "cart", { passing: true })).toEqual([]);

    await updateCheck(projectId, "service:cart-1", "passing", "back");
    expect(
      (await serviceHealth(projectId, "cart", { passing: true })).map((instance) => instance.id),
    ).toEqual(["cart-1"]);
  });

  it("deregisters an instance critical for longer than DeregisterCriticalServiceAfter (at least a minute)", async () => {
    await registerInstance(projectId, {
      Name: "legacy",
      ID: "legacy-1",
      Check: { TTL: "30s", DeregisterCriticalServiceAfter: "10s" },
    });
    const now = Date.now();
    expect(await reapCriticalInstances(now + 30_000)).toBe(0); // 10s is raised to Consul's 1-minute minimum
    expect(await serviceHealth(projectId, "legacy", { passing: false })).toHaveLength(1);
    expect(await reapCriticalInstances(now + 61_000)).toBe(1);
    expect(await serviceHealth(projectId, "legacy", { passing: false })).toEqual([]);
  });

  it("takes a registration sent again unchanged without moving the index, and a changed one with it", async () => {
    const registration = {
      Name: "search",
      ID: "search-1",
      Port: 8080,
      Tags: ["v1"],
      Meta: { zone: "a" },
      Check: { TTL: "30s", Status: "passing" },
    };
    await registerInstance(projectId, registration);
    const index = await currentIndex(projectId);
    await registerInstance(projectId, registration);
    expect(await currentIndex(projectId)).toBe(index);
    await registerInstance(projectId, { ...registration, Port: 8081 });
    expect(await currentIndex(projectId)).toBe(index + 1n);
    const [search] = await serviceHealth(projectId, "search", { passing: false });
    expect(search?.port).toBe(8081);
  });
});
