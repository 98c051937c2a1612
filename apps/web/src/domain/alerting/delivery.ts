import { randomUUID } from "node:crypto";
import { db, type Prisma } from "@vigil/db";
import { BlockedTarget, type OutboundResponse, outboundRequest } from "../../net/outbound.ts";
import { outboundPolicy } from "../../net/policy.ts";
import { runtime } from "../../server/runtime.ts";
import { DomainError } from "../errors.ts";
import { alertmanagerBody } from "./alertmanager-payload.ts";
import { deliveryMaterial, receiverRow } from "./receivers.ts";
import { signWebhook } from "./webhook-signature.ts";

// Delivery workers: take due notifications from the outbox, sign and send them, and log every
// attempt. 2xx delivers; 410 disables the receiver; 429, 5xx and network errors are retried with
// exponential backoff and jitter (or the receiver's Retry-After); anything else is final.

const TIMEOUT_MS = 10_000;
/** A claimed notification is left alone this long; a crashed sender's claim then lapses. */
const LEASE_MS = TIMEOUT_MS + 5_000;
const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 5 * 60_000;
const MAX_RETRY_AFTER_MS = 3_600_000;
const GIVE_UP_AFTER_MS = 24 * 3_600_000;
const BATCH = 16;

type Notification = Prisma.AlertNotificationGetPayload<{ include: { receiver: true } }>;

export type Outcome = "delivered" | "retry" | "failed" | "disabled" | "blocked";
type Attempt = {
  outcome: Outcome;
  statusCode: number | null;
  error: string;
  excerpt: string;
  retryAfterMs: number | null;
};

/** Retry-After as seconds or an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function retryAfterMs(
  header: string | string[] | undefined,
  nowMs = Date.now(),
): number | null {
  const text = Array.isArray(header) ? header[0] : header;
  if (!text) return null;
  if (/^\d+$/.test(text.trim())) return Math.min(Number(text.trim()) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - nowMs), MAX_RETRY_AFTER_MS);
}

/** The wait before attempt n+1: doubling from 1 s to 5 min, each drawn from its upper half. */
export function backoffMs(attempts: number, random = Math.random()): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

function classify(response: OutboundResponse): Attempt {
  const base = { statusCode: response.status, excerpt: response.bodyExcerpt, retryAfterMs: null };
  if (response.status >= 200 && response.status < 300)
    return { ...base, outcome: "delivered", error: "" };
  if (response.status === 410)
    return {
      ...base,
      outcome: "disabled",
      error: "the receiver answered 410 Gone; it is disabled",
    };
  if (response.status === 429 || response.status >= 500)
    return {
      ...base,
      outcome: "retry",
      error: `the receiver answered ${response.status}`,
      retryAfterMs: retryAfterMs(response.headers["retry-after"]),
    };
  if (response.status >= 300 && response.status < 400)
    return {
      ...base,
      outcome: "failed",
      error: `the receiver answered ${response.status}; redirects are not followed`,
    };
  return {
    ...base,
    outcome: "failed",
    error: `the receiver answered ${response.status}; not retried`,
  };
}

async function attempt(notification: Notification): Promise<Attempt & { latencyMs: number }> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  if (notification.receiver.disabledAt)
    return {
      outcome: "failed",
      statusCode: null,
      error: `the receiver is disabled (${notification.receiver.disabledReason || "by a user"})`,
      excerpt: "",
      retryAfterMs: null,
      latencyMs: 0,
    };
  const material = deliveryMaterial(notification.receiver);
  const json =
    notification.body.trimStart().startsWith("{") || notification.body.trimStart().startsWith("[");
  const signed = signWebhook({
    id: notification.id,
    timestampSeconds: Date.now() / 1000,
    body: notification.body,
    secrets: material.secrets,
  });
  try {
    const response = await outboundRequest(material.url, {
      method: "POST",
      headers: {
        ...material.headers,
        "content-type": json ? "application/json" : "text/plain; charset=utf-8",
        "user-agent": "Vigil-Alerting/1",
        ...signed,
      },
      body: notification.body,
      timeoutMs: TIMEOUT_MS,
      policy: outboundPolicy(),
    });
    return { ...classify(response), latencyMs: latency() };
  } catch (error) {
    if (error instanceof BlockedTarget)
      return {
        outcome: "blocked",
        statusCode: null,
        error: error.message,
        excerpt: "",
        retryAfterMs: null,
        latencyMs: latency(),
      };
    return {
      outcome: "retry",
      statusCode: null,
      error: (error as Error).message || String(error),
      excerpt: "",
      retryAfterMs: null,
      latencyMs: latency(),
    };
  }
}

/** Sends one claimed notification once and records the attempt and its consequence. */
export async function deliverOne(notification: Notification) {
  const result = await attempt(notification);
  const attempts = notification.attempts + 1;
  const now = Date.now();
  const expired = now - notification.createdAt.getTime() > GIVE_UP_AFTER_MS;
  const retry = result.outcome === "retry" && !expired;
  const status = result.outcome === "delivered" ? "delivered" : retry ? "pending" : "failed";
  const delay = Math.max(backoffMs(attempts), result.retryAfterMs ?? 0);
  const error =
    result.outcome === "retry" && expired
      ? `${result.error}; gave up after 24 h of retries`
      : result.error;
  const key = { projectId: notification.projectId, id: notification.id };
  await db().prisma.$transaction(async (tx) => {
    await tx.alertDeliveryAttempt.create({
      data: {
        projectId: notification.projectId,
        notificationId: notification.id,
        statusCode: result.statusCode,
        latencyMs: result.latencyMs,
        outcome: retry ? "retry" : result.outcome,
        error,
        responseExcerpt: result.excerpt.slice(0, 1024),
      },
    });
    await tx.alertNotification.update({
      where: { projectId_id: key },
      data: {
        status,
        attempts,
        lastError: error,
        leaseUntil: null,
        nextAttemptAt: retry ? new Date(now + delay) : undefined,
        finishedAt: retry ? null : new Date(now),
      },
    });
    if (result.outcome === "disabled") {
      await tx.alertReceiver.update({
        where: { projectId_id: { projectId: notification.projectId, id: notification.receiverId } },
        data: { disabledAt: new Date(now), disabledReason: "it answered 410 Gone" },
      });
      await tx.alertNotification.updateMany({
        where: {
          projectId: notification.projectId,
          receiverId: notification.receiverId,
          status: "pending",
        },
        data: {
          status: "failed",
          lastError: "the receiver was disabled (410 Gone)",
          finishedAt: new Date(now),
        },
      });
    }
  });
  return { ...result, outcome: retry ? ("retry" as const) : result.outcome, error, attempts };
}

/** Claims due notifications (skipping ones another sender holds) and sends them concurrently. */
export async function deliverDue(): Promise<number> {
  const claimed = await db().pool.query<{ project_id: string; id: string }>(
    `UPDATE alert_notification n SET lease_until = now() + make_interval(secs => $1::int / 1000.0)
       FROM (SELECT project_id, id FROM alert_notification
              WHERE status = 'pending' AND next_attempt_at <= now()
                AND (lease_until IS NULL OR lease_until < now())
              ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
      WHERE n.project_id = due.project_id AND n.id = due.id
      RETURNING n.project_id, n.id`,
    [LEASE_MS, BATCH],
  );
  if (claimed.rows.length === 0) return 0;
  const notifications = await db().prisma.alertNotification.findMany({
    where: { OR: claimed.rows.map((row) => ({ projectId: row.project_id, id: row.id })) },
    include: { receiver: true },
  });
  await Promise.all(notifications.map(deliverOne));
  return notifications.length;
}

/** Sends a test notification to a receiver now and answers what happened (also in its log). */
export async function sendTest(projectId: string, receiverId: string) {
  const receiver = await receiverRow(projectId, receiverId);
  const body = alertmanagerBody({
    receiver: receiver.name,
    groupKey: "test",
    groupLabels: { alertname: "VigilTestNotification" },
    alerts: [
      {
        status: "firing",
        labels: { alertname: "VigilTestNotification", severity: "info" },
        annotations: { summary: "A test notification sent from Vigil" },
        startsAt: new Date(),
        endsAt: null,
        generatorURL: `${runtime().baseUrl}/projects/${projectId}/alerts/receivers`,
      },
    ],
    externalURL: `${runtime().baseUrl}/projects/${projectId}/alerts`,
  });
  const notification = await db().prisma.alertNotification.create({
    data: {
      projectId,
      id: `msg_${randomUUID().replaceAll("-", "")}`,
      receiverId,
      groupKey: "test",
      alertStatus: "firing",
      alerts: 1,
      body: JSON.stringify(body),
      // Held by this request: the workers must not send it too.
      leaseUntil: new Date(Date.now() + LEASE_MS),
    },
    include: { receiver: true },
  });
  const result = await deliverOne(notification);
  // A test is sent once: a failure is shown, not retried.
  if (result.outcome === "retry")
    await db().prisma.alertNotification.update({
      where: { projectId_id: { projectId, id: notification.id } },
      data: { status: "failed", finishedAt: new Date() },
    });
  return { notificationId: notification.id, ...result };
}

/** Queues a finished notification again, with its original webhook-id. */
export async function replayNotification(projectId: string, id: string): Promise<void> {
  const notification = await db().prisma.alertNotification.findUnique({
    where: { projectId_id: { projectId, id } },
    include: { receiver: true },
  });
  if (!notification) throw new DomainError("NOT_FOUND", "No such notification in this project");
  if (notification.receiver.disabledAt)
    throw new DomainError("BAD_REQUEST", "The receiver is disabled; enable it before replaying");
  if (notification.status === "pending")
    throw new DomainError("CONFLICT", "This notification is still being delivered");
  await db().prisma.alertNotification.update({
    where: { projectId_id: { projectId, id } },
    data: {
      status: "pending",
      nextAttemptAt: new Date(),
      leaseUntil: null,
      finishedAt: null,
      lastError: "",
    },
  });
}
