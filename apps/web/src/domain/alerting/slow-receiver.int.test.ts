import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jobs } from "../../jobs/index.ts";
import { type Scheduler, startScheduler } from "../../jobs/scheduler.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { setRouting } from "./config.ts";
import { createReceiver } from "./receivers.ts";
import { createRule } from "./rules.ts";

// A receiver that takes its time must not hold up evaluation: while a delivery hangs, the
// leader keeps evaluating the rule on its interval.

const database = setupTestDatabase();
let receiver: WebhookReceiver;
let scheduler: Scheduler;
let release: () => void = () => {};
const held = new Promise<void>((resolve) => {
  release = resolve;
});

beforeAll(async () => {
  setTestRuntime();
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  release();
  await scheduler?.stop();
  await receiver.close();
});

describe("a slow receiver", () => {
  it("does not delay the next evaluations", { timeout: 30_000 }, async () => {
    const { projectId } = await createOrgWithProject();
    receiver.hold(held);
    await createReceiver(projectId, { name: "slow", url: receiver.url });
    await setRouting(projectId, { route: { receiver: "slow", groupWait: "0s" } });
    const rule = await createRule(projectId, {
      name: "NoPayments",
      interval: "1s",
      spec: { kind: "registry", condition: "passing_below", service: "payments", threshold: 1 },
    });
    scheduler = startScheduler({
      connectionString: database.url(),
      jobs: jobs.filter((job) => job.name.startsWith("alert-")),
      log: pino({ level: "silent" }),
    });
    await receiver.arrived();
    const evaluatedAt = async () =>
      (
        await db().prisma.alertRule.findUniqueOrThrow({
          where: { projectId_id: { projectId, id: rule.id } },
        })
      ).lastEvalAt?.getTime() ?? 0;
    const whileHanging = await evaluatedAt();
    // Two more evaluations, a second apart, while the receiver still has not answered.
    await vi.waitFor(
      async () => expect(await evaluatedAt()).toBeGreaterThanOrEqual(whileHanging + 1900),
      {
        timeout: 8000,
        interval: 100,
      },
    );
    expect(receiver.received).toHaveLength(0);
  });
});
