import { db } from "@vigil/db";
import { registryChange } from "./changes.ts";

/**
 * TTL checks nobody refreshed in time turn critical, whoever reads next or not at all. Each
 * project's changes move its registry index and wake its blocking readers. Returns how many.
 */
export async function expireTtlChecks(nowMs = Date.now()): Promise<number> {
  const now = new Date(nowMs);
  const expired = await db().prisma.registryCheck.findMany({
    where: { kind: "ttl", status: { not: "critical" }, expiresAt: { lt: now } },
    select: { projectId: true, id: true, instanceId: true, status: true },
  });
  for (const [projectId, checks] of groupByProject(expired)) {
    await registryChange(projectId, async (tx, value) => {
      for (const check of checks) {
        // Only if still expired: a heartbeat may have arrived since the read above.
        const updated = await tx.registryCheck.updateMany({
          where: { projectId, id: check.id, status: { not: "critical" }, expiresAt: { lt: now } },
          data: {
            status: "critical",
            output: "TTL expired",
            criticalSince: now,
            modifyIndex: value,
          },
        });
        if (updated.count > 0) {
          await tx.registryEvent.create({
            data: {
              projectId,
              instanceId: check.instanceId,
              checkId: check.id,
              fromStatus: check.status,
              toStatus: "critical",
              output: "TTL expired",
            },
          });
        }
      }
    });
  }
  return expired.length;
}

/** Removes instances with a check critical for longer than its DeregisterCriticalServiceAfter. */
export async function reapCriticalInstances(nowMs = Date.now()): Promise<number> {
  const candidates = await db().prisma.registryCheck.findMany({
    where: { status: "critical", deregisterAfterMs: { not: null }, criticalSince: { not: null } },
    select: { projectId: true, instanceId: true, deregisterAfterMs: true, criticalSince: true },
  });
  const due = candidates.filter(
    (check) => (check.criticalSince?.getTime() ?? nowMs) + (check.deregisterAfterMs ?? 0) <= nowMs,
  );
  for (const [projectId, checks] of groupByProject(due)) {
    const instanceIds = [...new Set(checks.map((check) => check.instanceId))];
    await registryChange(projectId, async (tx) => {
      await tx.registryInstance.deleteMany({ where: { projectId, id: { in: instanceIds } } });
      await tx.registryEvent.createMany({
        data: instanceIds.map((instanceId) => ({
          projectId,
          instanceId,
          toStatus: "deregistered",
          output: "critical for longer than DeregisterCriticalServiceAfter",
        })),
      });
    });
  }
  return due.length;
}

function groupByProject<T extends { projectId: string }>(rows: T[]): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) groups.set(row.projectId, [...(groups.get(row.projectId) ?? []), row]);
  return groups;
}
