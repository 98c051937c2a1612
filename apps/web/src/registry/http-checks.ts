import { db } from "@vigil/db";
import { type OutboundPolicy, outboundRequest } from "../net/outbound.ts";
import { registryChange } from "./changes.ts";
import type { Status } from "./registry.ts";

const DEFAULT_TIMEOUT_MS = 10_000;
const AT_ONCE = 16;

/** Consul's reading of an HTTP check's answer: 2xx passing, 429 warning, anything else critical. */
export function statusForHttp(code: number): Status {
  if (code >= 200 && code < 300) return "passing";
  if (code === 429) return "warning";
  return "critical";
}

/**
 * Runs every HTTP check whose interval has passed, through the outbound guard, a few at a time.
 * A status change moves the registry index (waking blocking readers) and is recorded; a run that
 * changes only the output does not. Returns how many checks ran.
 */
export async function runDueHttpChecks(
  policy: OutboundPolicy,
  nowMs = Date.now(),
): Promise<number> {
  const checks = await db().prisma.registryCheck.findMany({
    where: { kind: "http" },
    select: {
      projectId: true,
      id: true,
      instanceId: true,
      status: true,
      httpUrl: true,
      intervalMs: true,
      timeoutMs: true,
      lastCheckedAt: true,
      criticalSince: true,
    },
  });
  const due = checks.filter(
    (check) =>
      !check.lastCheckedAt || check.lastCheckedAt.getTime() + (check.intervalMs ?? 10_000) <= nowMs,
  );
  for (let i = 0; i < due.length; i += AT_ONCE) {
    await Promise.all(due.slice(i, i + AT_ONCE).map((check) => runOne(check, policy, nowMs)));
  }
  return due.length;
}

type DueCheck = {
  projectId: string;
  id: string;
  instanceId: string;
  status: string;
  httpUrl: string | null;
  timeoutMs: number | null;
  criticalSince: Date | null;
};

async function runOne(check: DueCheck, policy: OutboundPolicy, nowMs: number): Promise<void> {
  const url = check.httpUrl ?? "";
  let status: Status;
  let output: string;
  try {
    const answer = await outboundRequest(url, {
      timeoutMs: check.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      policy,
    });
    status = statusForHttp(answer.status);
    output = `HTTP GET ${url}: ${answer.status} Output: ${answer.bodyExcerpt}`;
  } catch (error) {
    status = "critical";
    output = `HTTP GET ${url}: ${error instanceof Error ? error.message : String(error)}`;
  }
  const now = new Date(nowMs);
  if (status === check.status) {
    await db().prisma.registryCheck.updateMany({
      where: { projectId: check.projectId, id: check.id },
      data: { output, lastCheckedAt: now },
    });
    return;
  }
  await registryChange(check.projectId, async (tx, value) => {
    await tx.registryCheck.updateMany({
      where: { projectId: check.projectId, id: check.id },
      data: {
        status,
        output,
        lastCheckedAt: now,
        modifyIndex: value,
        criticalSince: status === "critical" ? (check.criticalSince ?? now) : null,
      },
    });
    await tx.registryEvent.create({
      data: {
        projectId: check.projectId,
        instanceId: check.instanceId,
        checkId: check.id,
        fromStatus: check.status,
        toStatus: status,
        output,
      },
    });
  });
}
