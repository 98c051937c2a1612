import { db } from "@vigil/db";
import { z } from "zod";
import type { Labels } from "./alertmanager-payload.ts";
import { suppressionOf } from "./notify.ts";

// What operators and scripts read: the alerts now (with what holds each back), their history,
// and the notifications sent with every attempt.

export async function activeAlerts(projectId: string) {
  const rows = await db().prisma.alertInstance.findMany({
    where: { projectId },
    include: { rule: { select: { name: true } } },
    orderBy: [{ state: "asc" }, { activeSince: "desc" }],
  });
  const held = await suppressionOf(
    projectId,
    rows.map((row) => ({
      fingerprint: row.fingerprint,
      labels: row.labels as Labels,
      firing: row.state === "firing",
    })),
    Date.now(),
  );
  return rows.map((row) => ({
    ruleId: row.ruleId,
    rule: row.rule.name,
    fingerprint: row.fingerprint,
    labels: row.labels as Labels,
    annotations: row.annotations as Labels,
    state: row.state,
    value: row.value,
    reason: row.reason,
    activeSince: row.activeSince,
    firedAt: row.firedAt,
    resolvedAt: row.resolvedAt,
    suppressed: held.get(row.fingerprint) ?? null,
  }));
}

/** How many entries a history or log read returns. */
const limit = (max: number) =>
  z.coerce
    .number("limit must be a whole number")
    .int("limit must be a whole number")
    .min(1, `limit must be 1–${max}`)
    .max(max, `limit must be 1–${max}`)
    .optional();

/** The filters of the alert history, as the API and the UI pass them. */
export const historyQuery = z.object({
  ruleId: z.uuid("ruleId must be a rule id").optional(),
  limit: limit(500),
});
/** The filters of the notification log. */
export const notificationQuery = z.object({
  receiverId: z.uuid("receiverId must be a receiver id").optional(),
  limit: limit(200),
});

export async function alertHistory(projectId: string, options: z.output<typeof historyQuery> = {}) {
  const rows = await db().prisma.alertEvent.findMany({
    where: { projectId, ...(options.ruleId ? { ruleId: options.ruleId } : {}) },
    orderBy: { at: "desc" },
    take: options.limit ?? 100,
  });
  return rows.map((row) => ({ ...row, id: row.id.toString(), labels: row.labels as Labels }));
}

export async function notificationLog(
  projectId: string,
  options: z.output<typeof notificationQuery> = {},
) {
  const rows = await db().prisma.alertNotification.findMany({
    where: { projectId, ...(options.receiverId ? { receiverId: options.receiverId } : {}) },
    orderBy: { createdAt: "desc" },
    take: options.limit ?? 50,
    include: { attemptLog: { orderBy: { at: "asc" } }, receiver: { select: { name: true } } },
  });
  return rows.map((row) => ({
    id: row.id,
    receiverId: row.receiverId,
    receiver: row.receiver.name,
    groupKey: row.groupKey,
    status: row.status,
    alertStatus: row.alertStatus,
    alerts: row.alerts,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? row.nextAttemptAt : null,
    lastError: row.lastError,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    body: row.body,
    attemptLog: row.attemptLog.map((attempt) => ({
      at: attempt.at,
      statusCode: attempt.statusCode,
      latencyMs: attempt.latencyMs,
      outcome: attempt.outcome,
      error: attempt.error,
      responseExcerpt: attempt.responseExcerpt,
    })),
  }));
}
