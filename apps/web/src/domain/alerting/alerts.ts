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

export async function alertHistory(
  projectId: string,
  options: { ruleId?: string; limit?: number } = {},
) {
  const ruleId =
    options.ruleId && z.uuid().safeParse(options.ruleId).success ? options.ruleId : undefined;
  const rows = await db().prisma.alertEvent.findMany({
    where: { projectId, ...(ruleId ? { ruleId } : {}) },
    orderBy: { at: "desc" },
    take: Math.min(Math.max(options.limit ?? 100, 1), 500),
  });
  return rows.map((row) => ({ ...row, id: row.id.toString(), labels: row.labels as Labels }));
}

export async function notificationLog(
  projectId: string,
  options: { receiverId?: string; limit?: number } = {},
) {
  const receiverId =
    options.receiverId && z.uuid().safeParse(options.receiverId).success
      ? options.receiverId
      : undefined;
  const rows = await db().prisma.alertNotification.findMany({
    where: { projectId, ...(receiverId ? { receiverId } : {}) },
    orderBy: { createdAt: "desc" },
    take: Math.min(Math.max(options.limit ?? 50, 1), 200),
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
