import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registryHealth } from "../jobs/registry-health.ts";
import { startScheduler } from "../jobs/scheduler.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { waitForChange } from "./changes.ts";
import { checkBounds } from "./registration.ts";
import { currentIndex, registerInstance, serviceHealth } from "./registry.ts";

// One project's HTTP check points at a target that sends its headers and then a byte at a time,
// never finishing; another project's TTL check must still expire on time.

// The dripping target listens on loopback: the leader's job may reach it.
vi.stubEnv("VIGIL_ALLOW_INTERNAL_TARGETS", "true");

const database = setupTestDatabase();
let drip: Server;
let dripUrl: string;
let requested: () => void;
const dripRequested = new Promise<void>((resolve) => {
  requested = resolve;
});
const timers: NodeJS.Timeout[] = [];

beforeAll(async () => {
  drip = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "text/plain" });
    res.write("o");
    timers.push(setInterval(() => res.write("k"), 1000));
    requested();
  });
  await new Promise<void>((resolve) => drip.listen(0, "127.0.0.1", resolve));
  dripUrl = `http://127.0.0.1:${(drip.address() as AddressInfo).port}/healthz`;
});
afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  drip.closeAllConnections();
  await new Promise<void>((resolve) => drip.close(() => resolve()));
});

describe("a dripping HTTP check target", () => {
  let scheduler: ReturnType<typeof startScheduler> | undefined;
  afterAll(async () => scheduler?.stop());

  it("does not delay another project's TTL expiry past TTL + 1 s", {
    timeout: 30_000,
  }, async () => {
    const slow = await createOrgWithProject();
    const other = await createOrgWithProject();
    await registerInstance(
      slow.projectId,
      { Name: "legacy", Check: { HTTP: dripUrl, Interval: "1s", Timeout: "5m" } },
      { allowInternal: true },
    );
    scheduler = startScheduler({
      connectionString: database.url(),
      jobs: [registryHealth],
      log: pino({ level: "silent" }),
      retryMs: 100,
    });
    await dripRequested;

    const index = await currentIndex(other.projectId);
    await registerInstance(other.projectId, {
      Name: "cart",
      Check: { TTL: "2s", Status: "passing" },
    });
    await waitForChange(other.projectId, index + 1n, 10_000);
    const check = await db().prisma.registryCheck.findFirstOrThrow({
      where: { projectId: other.projectId },
    });
    expect(check.status).toBe("critical");
    // Expired at expiresAt; turned critical by the job within a second of it.
    const late = (check.criticalSince?.getTime() ?? 0) - (check.expiresAt?.getTime() ?? 0);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(1000);
    // And the dripping check is still running, not yet judged.
    const [legacy] = await serviceHealth(slow.projectId, "legacy", { passing: false });
    expect(legacy?.checks[0]?.lastCheckedAt).toBeNull();
  });

  it("is cut off at the check's total deadline, which has a ceiling", {
    timeout: 30_000,
  }, async () => {
    const { projectId } = await createOrgWithProject();
    await expect(
      registerInstance(projectId, {
        Name: "x",
        Check: { HTTP: dripUrl, Interval: "10s", Timeout: "596h" },
      }),
    ).rejects.toThrow("Invalid check: Timeout must be between 100ms and 5m, not 596h");
    expect(checkBounds.timeout.max).toBe(300_000);
    await registerInstance(
      projectId,
      {
        Name: "short",
        Check: { HTTP: dripUrl, Interval: "1s", Timeout: "1500ms", Status: "passing" },
      },
      { allowInternal: true },
    );
    const index = await currentIndex(projectId);
    await waitForChange(projectId, index, 15_000);
    const [short] = await serviceHealth(projectId, "short", { passing: false });
    expect(short?.checks[0]?.output).toBe(`HTTP GET ${dripUrl}: no complete answer within 1500 ms`);
  });
});
