import { db } from "@vigil/db";
import { storableText } from "@vigil/otel";
import { logger } from "../lib/logger.ts";
import { type OutboundPolicy, outboundRequest } from "../net/outbound.ts";
import { registryChange } from "./changes.ts";
import type { Status } from "./registry.ts";

const DEFAULT_TIMEOUT_MS = 10_000; // Consul's default
/** Checks running at once, in all and per project, so one project's slow targets cannot take every slot. */
const MAX_RUNNING = 32;
const MAX_RUNNING_PER_PROJECT = 4;

/** Consul's reading of an HTTP check's answer: 2xx passing, 429 warning, anything else critical. */
export function statusForHttp(code: number): Status {
  if (code >= 200 && code < 300) return "passing";
  if (code === 429) return "warning";
  return "critical";
}

// The checks running now, by project and check id: a check still running is not started again.
const running = new Map<string, { projectId: string; done: Promise<void> }>();

/**
 * Starts every due HTTP check that is not running yet, within the bounds, and returns without
 * waiting for them: a slow or dripping target holds only its own check (each run has a total
 * deadline), never the registry job that expires TTLs. Resolves to the started runs.
 */
export async function startDueHttpChecks(
  policy: OutboundPolicy,
  nowMs = Date.now(),
  signal?: AbortSignal,
): Promise<Promise<void>[]> {
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
  const started: Promise<void>[] = [];
  for (const check of checks) {
    const key = `${check.projectId}/${check.id}`;
    const due =
      !check.lastCheckedAt || check.lastCheckedAt.getTime() + (check.intervalMs ?? 10_000) <= nowMs;
    if (!due || running.has(key) || running.size >= MAX_RUNNING) continue;
    const ofProject = [...running.values()].filter((run) => run.projectId === check.projectId);
    if (ofProject.length >= MAX_RUNNING_PER_PROJECT) continue;
    const done = runOne(check, policy, nowMs, signal)
      .catch((error: unknown) =>
        logger().warn({ err: error, checkId: check.id }, "an HTTP check's result was not stored"),
      )
      .finally(() => running.delete(key));
    running.set(key, { projectId: check.projectId, done });
    started.push(done);
  }
  return started;
}

/** Runs the due HTTP checks and waits for them; returns how many ran (for tests and tools). */
export async function runDueHttpChecks(
  policy: OutboundPolicy,
  nowMs = Date.now(),
): Promise<number> {
  const started = await startDueHttpChecks(policy, nowMs);
  await Promise.all(started);
  return started.length;
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

async function runOne(
  check: DueCheck,
  policy: OutboundPolicy,
  nowMs: number,
  signal?: AbortSignal,
): Promise<void> {
  const url = check.httpUrl ?? "";
  let status: Status;
  let output: string;
  try {
    const answer = await outboundRequest(url, {
      timeoutMs: check.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      policy,
      signal,
    });
    status = statusForHttp(answer.status);
    // An internal target's body stays out of the registry, where ingest keys can read it.
    output = answer.internal
      ? `HTTP GET ${url}: ${answer.status} (the body of an internal target is not kept)`
      : `HTTP GET ${url}: ${answer.status} Output: ${storableText(answer.bodyExcerpt)}`;
  } catch (error) {
    status = "critical";
    output = `HTTP GET ${url}: ${error instanceof Error ? error.message : String(error)}`;
  }
  // Stopped (shutdown or lost leadership): the next leader runs the check again.
  if (signal?.aborted) return;
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
