import { randomUUID } from "node:crypto";
import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { startWebhookReceiver, type WebhookReceiver } from "../../testing/webhook-receiver.ts";
import { backoffMs, deliverDue, replayNotification, retryAfterMs, sendTest } from "./delivery.ts";
import { forgetOldAlerting } from "./forget.ts";
import { createReceiver, getReceiver } from "./receivers.ts";

// Delivery outcomes by the receiver's answer, against a real HTTP server (internal targets are
// allowed here: local mode; the SSRF guard has its own test).

setupTestDatabase();
let projectId: string;
let receiver: WebhookReceiver;
beforeAll(async () => {
  setTestRuntime();
  ({ projectId } = await createOrgWithProject());
  receiver = await startWebhookReceiver();
});
afterAll(() => receiver.close());

async function queued(receiverId: string): Promise<string> {
  const id = `msg_${randomUUID().replaceAll("-", "")}`;
  await db().prisma.alertNotification.create({
    data: {
      projectId,
      id,
      receiverId,
      groupKey: "0:{}",
      alertStatus: "firing",
      alerts: 1,
      body: '{"version":"4"}',
    },
  });
  return id;
}
const row = (id: string) =>
  db().prisma.alertNotification.findUniqueOrThrow({
    where: { projectId_id: { projectId, id } },
    include: { attemptLog: true },
  });

describe("delivering notifications", () => {
  it("retries a 503 after the receiver's Retry-After, with the same webhook-id, until it is taken", async () => {
    const { receiver: target } = await createReceiver(projectId, {
      name: "flaky",
      url: `${receiver.url}?flaky`,
    });
    const id = await queued(target.id);
    receiver.answer(() => ({ status: 503, headers: { "retry-after": "120" }, body: "busy" }));
    expect(await deliverDue()).toBe(1);
    let state = await row(id);
    expect(state.status).toBe("pending");
    const wait = state.nextAttemptAt.getTime() - Date.now();
    expect(wait).toBeGreaterThan(110_000);
    expect(
      state.attemptLog.map((attempt) => [
        attempt.statusCode,
        attempt.outcome,
        attempt.responseExcerpt,
      ]),
    ).toEqual([[503, "retry", "busy"]]);
    // Not due yet: nothing is sent.
    expect(await deliverDue()).toBe(0);
    await db().prisma.alertNotification.update({
      where: { projectId_id: { projectId, id } },
      data: { nextAttemptAt: new Date() },
    });
    receiver.answer(() => ({ status: 204 }));
    expect(await deliverDue()).toBe(1);
    state = await row(id);
    expect([state.status, state.attempts]).toEqual(["delivered", 2]);
    const ids = receiver.received.filter((request) => request.headers["webhook-id"] === id);
    expect(ids.map((request) => request.answered)).toEqual([503, 204]);
  });

  it("does not retry a 400, and a replay sends it again with its webhook-id", async () => {
    const { receiver: target } = await createReceiver(projectId, {
      name: "strict",
      url: receiver.url,
    });
    const id = await queued(target.id);
    receiver.answer(() => ({ status: 400, body: "bad payload" }));
    await deliverDue();
    const state = await row(id);
    expect([state.status, state.attempts]).toEqual(["failed", 1]);
    expect(state.lastError).toContain("400; not retried");
    expect(await deliverDue()).toBe(0);
    receiver.answer(() => ({ status: 200 }));
    await replayNotification(projectId, id);
    await deliverDue();
    expect((await row(id)).status).toBe("delivered");
    expect(
      receiver.received
        .filter((request) => request.headers["webhook-id"] === id)
        .map((request) => request.answered),
    ).toEqual([400, 200]);
  });

  it("disables a receiver that answers 410 and fails what was queued for it", async () => {
    const { receiver: target } = await createReceiver(projectId, {
      name: "gone",
      url: receiver.url,
    });
    receiver.answer(() => ({ status: 410 }));
    const first = await queued(target.id);
    await deliverDue();
    const second = await queued(target.id);
    await deliverDue();
    expect((await row(first)).status).toBe("failed");
    expect((await row(second)).lastError).toContain("disabled");
    const after = await getReceiver(projectId, target.id);
    expect([after.enabled, after.disabledReason]).toEqual([false, "it answered 410 Gone"]);
    expect(
      receiver.received.filter((request) => request.headers["webhook-id"] === second),
    ).toHaveLength(0);
    await expect(replayNotification(projectId, first)).rejects.toThrow(
      /enable it before replaying/,
    );
  });

  it("sends a test notification at once and reports what the receiver said", async () => {
    const { receiver: target } = await createReceiver(projectId, {
      name: "tested",
      url: receiver.url,
    });
    receiver.answer(() => ({ status: 500, body: "boom" }));
    const result = await sendTest(projectId, target.id);
    expect([result.outcome, result.statusCode, result.excerpt]).toEqual(["retry", 500, "boom"]);
    expect((await row(result.notificationId)).status).toBe("failed");
  });

  it("backs off exponentially with jitter and reads Retry-After both ways", () => {
    expect([backoffMs(1, 0), backoffMs(1, 1), backoffMs(4, 0), backoffMs(20, 1)]).toEqual([
      500, 1000, 4000, 300_000,
    ]);
    expect(retryAfterMs("30")).toBe(30_000);
    expect(retryAfterMs(new Date(Date.now() + 60_000).toUTCString())).toBeGreaterThan(55_000);
    expect(retryAfterMs("soon")).toBeNull();
  });
});

describe("keeping the delivery log", () => {
  it("forgets finished notifications after 30 days and keeps pending ones", async () => {
    const { receiver: target } = await createReceiver(projectId, {
      name: "old",
      url: receiver.url,
    });
    const finished = await queued(target.id);
    const pending = await queued(target.id);
    const old = new Date(Date.now() - 31 * 86_400_000);
    await db().prisma.alertNotification.updateMany({
      where: { projectId, id: { in: [finished, pending] } },
      data: { createdAt: old },
    });
    await db().prisma.alertNotification.update({
      where: { projectId_id: { projectId, id: finished } },
      data: { status: "delivered" },
    });
    await db().prisma.alertNotification.update({
      where: { projectId_id: { projectId, id: pending } },
      data: { nextAttemptAt: new Date(Date.now() + 3_600_000) },
    });
    await forgetOldAlerting();
    const left = await db().prisma.alertNotification.findMany({
      where: { projectId, id: { in: [finished, pending] } },
    });
    expect(left.map((row) => row.id)).toEqual([pending]);
  });
});
