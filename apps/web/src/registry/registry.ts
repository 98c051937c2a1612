import { db } from "@vigil/db";
import { refreshUnchangedCheck } from "@vigil/db/registry";
import { DomainError } from "../domain/errors.ts";
import { type OutboundPolicy, resolveTarget } from "../net/outbound.ts";
import { outboundPolicy } from "../net/policy.ts";
import { registryChange } from "./changes.ts";
import { parseRegistration, type RegistrationSpec, type Status } from "./registration.ts";

export type { Status } from "./registration.ts";

/** PUT /v1/agent/service/register: creates or replaces an instance and its checks. */
export async function registerInstance(
  projectId: string,
  body: unknown,
  policy: OutboundPolicy = outboundPolicy(),
): Promise<void> {
  const { service, id, address, port, tags, meta, checks } = parseRegistration(body);
  for (const check of checks) {
    // An HTTP check's URL is checked on save, as well as on every run.
    if (check.httpUrl) {
      await resolveTarget(check.httpUrl, policy).catch((error: unknown) => {
        throw new DomainError(
          "BAD_REQUEST",
          `Invalid check: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
    }
  }
  const now = Date.now();
  // An agent re-sends its registration now and then (anti-entropy): the same one changes nothing
  // and wakes no blocking reader.
  if (await registeredAsIs(projectId, { service, id, address, port, tags, meta, checks })) return;

  await registryChange(projectId, async (tx, index) => {
    const existing = await tx.registryInstance.findUnique({
      where: { projectId_id: { projectId, id } },
      include: { checks: true },
    });
    await tx.registryInstance.upsert({
      where: { projectId_id: { projectId, id } },
      update: {
        service,
        address,
        port,
        tags,
        meta,
        modifyIndex: index,
      },
      create: {
        projectId,
        id,
        service,
        address,
        port,
        tags,
        meta,
        createIndex: index,
        modifyIndex: index,
      },
    });
    const kept = new Set(checks.map((check) => check.id));
    // Checks Vigil keeps itself (health rules from telemetry) are not the registration's to drop.
    await tx.registryCheck.deleteMany({
      where: { projectId, instanceId: id, kind: { not: "rule" }, id: { notIn: [...kept] } },
    });
    for (const check of checks) {
      // Re-registering keeps a check's current state, so an agent restart does not flap it.
      const previous = existing?.checks.find((candidate) => candidate.id === check.id);
      const status = (previous?.status as Status | undefined) ?? check.status;
      const data = {
        instanceId: id,
        name: check.name,
        kind: check.kind,
        notes: check.notes,
        ttlMs: check.ttlMs,
        httpUrl: check.httpUrl,
        intervalMs: check.intervalMs,
        timeoutMs: check.timeoutMs,
        deregisterAfterMs: check.deregisterAfterMs,
      };
      await tx.registryCheck.upsert({
        where: { projectId_id: { projectId, id: check.id } },
        update: { ...data, modifyIndex: index },
        create: {
          ...data,
          projectId,
          id: check.id,
          status,
          output: "",
          createIndex: index,
          modifyIndex: index,
          expiresAt: check.ttlMs ? new Date(now + check.ttlMs) : null,
          criticalSince: status === "critical" ? new Date(now) : null,
        },
      });
    }
    if (!existing)
      await tx.registryEvent.create({
        data: { projectId, instanceId: id, toStatus: "registered", output: service },
      });
  });
}

/** Whether the instance is stored exactly as this registration describes it. */
async function registeredAsIs(projectId: string, spec: RegistrationSpec): Promise<boolean> {
  const stored = await db().prisma.registryInstance.findUnique({
    where: { projectId_id: { projectId, id: spec.id } },
    include: { checks: { orderBy: { id: "asc" } } },
  });
  if (!stored) return false;
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const checks = [...spec.checks].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const registered = stored.checks.filter((check) => check.kind !== "rule");
  return (
    stored.service === spec.service &&
    stored.address === spec.address &&
    stored.port === spec.port &&
    same(stored.tags, spec.tags) &&
    same(sortedEntries(stored.meta), sortedEntries(spec.meta)) &&
    registered.length === checks.length &&
    registered.every((check, i) => {
      const wanted = checks[i];
      return (
        wanted !== undefined &&
        check.id === wanted.id &&
        check.name === wanted.name &&
        check.kind === wanted.kind &&
        check.notes === wanted.notes &&
        check.ttlMs === wanted.ttlMs &&
        check.httpUrl === wanted.httpUrl &&
        check.intervalMs === wanted.intervalMs &&
        check.timeoutMs === wanted.timeoutMs &&
        check.deregisterAfterMs === wanted.deregisterAfterMs
      );
    })
  );
}

const sortedEntries = (value: unknown) =>
  Object.entries((value ?? {}) as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));

/** PUT /v1/agent/service/deregister/{id}. */
export async function deregisterInstance(projectId: string, id: string): Promise<void> {
  await registryChange(projectId, async (tx) => {
    const removed = await tx.registryInstance.deleteMany({ where: { projectId, id } });
    if (removed.count === 0) throw new DomainError("NOT_FOUND", `Unknown service ID "${id}"`);
    await tx.registryEvent.create({
      data: { projectId, instanceId: id, toStatus: "deregistered" },
    });
  });
}

/**
 * PUT /v1/agent/check/{pass|warn|fail|update}/{id}: sets a check's state; TTL checks are refreshed.
 * A heartbeat that changes neither status nor output only extends the TTL — one UPDATE, no index
 * change, no wake-up — as a Consul agent does; a real change moves the index and is recorded.
 */
export async function updateCheck(
  projectId: string,
  checkId: string,
  status: Status,
  output: string,
): Promise<void> {
  if (await refreshUnchangedCheck(db().pool, projectId, checkId, status, output)) return;
  const now = Date.now();
  await registryChange(projectId, async (tx, index) => {
    const check = await tx.registryCheck.findUnique({
      where: { projectId_id: { projectId, id: checkId } },
    });
    if (!check) throw new DomainError("NOT_FOUND", `Unknown check ID "${checkId}"`);
    await tx.registryCheck.update({
      where: { projectId_id: { projectId, id: checkId } },
      data: {
        status,
        output,
        modifyIndex: index,
        lastCheckedAt: new Date(now),
        expiresAt: check.ttlMs ? new Date(now + check.ttlMs) : check.expiresAt,
        criticalSince: status === "critical" ? (check.criticalSince ?? new Date(now)) : null,
      },
    });
    if (check.status !== status) {
      await tx.registryEvent.create({
        data: {
          projectId,
          instanceId: check.instanceId,
          checkId,
          fromStatus: check.status,
          toStatus: status,
          output,
        },
      });
    }
  });
}

/** The project's current registry index (X-Consul-Index). */
export async function currentIndex(projectId: string): Promise<bigint> {
  const row = await db().prisma.registryIndex.findUnique({ where: { projectId } });
  return row?.value ?? 0n;
}

/** Instances of a service with their checks, for /v1/health/service/{name}. */
export async function serviceHealth(
  projectId: string,
  service: string,
  filter: { passing: boolean; tag?: string },
) {
  const instances = await db().prisma.registryInstance.findMany({
    where: { projectId, service, ...(filter.tag ? { tags: { has: filter.tag } } : {}) },
    include: { checks: { orderBy: { id: "asc" } } },
    orderBy: { id: "asc" },
  });
  return instances.filter(
    (instance) => !filter.passing || instance.checks.every((check) => check.status === "passing"),
  );
}

/** Service names with the union of their instances' tags, for /v1/catalog/services. */
export async function catalogServices(projectId: string): Promise<Record<string, string[]>> {
  const instances = await db().prisma.registryInstance.findMany({
    where: { projectId },
    select: { service: true, tags: true },
  });
  const catalog: Record<string, string[]> = {};
  for (const { service, tags } of instances)
    catalog[service] = [...new Set([...(catalog[service] ?? []), ...tags])].sort();
  return catalog;
}

const rank: Record<Status, number> = { passing: 0, warning: 1, critical: 2 };

/** Every instance of the project with its checks and overall health (its worst check). */
export async function registryOverview(projectId: string) {
  const instances = await db().prisma.registryInstance.findMany({
    where: { projectId },
    include: { checks: { orderBy: { id: "asc" } } },
    orderBy: [{ service: "asc" }, { id: "asc" }],
  });
  return instances.map((instance) => ({
    id: instance.id,
    service: instance.service,
    address: instance.address,
    port: instance.port,
    tags: instance.tags,
    meta: instance.meta as Record<string, string>,
    load: instance.load as { inFlight?: number; cpu?: number; updatedAt?: string } | null,
    registeredAt: instance.registeredAt,
    health: instance.checks.reduce<Status>(
      (worst, check) =>
        rank[check.status as Status] > rank[worst] ? (check.status as Status) : worst,
      "passing",
    ),
    checks: instance.checks.map((check) => ({
      id: check.id,
      name: check.name,
      kind: check.kind,
      status: check.status as Status,
      output: check.output,
      lastCheckedAt: check.lastCheckedAt,
    })),
  }));
}

/** The latest registry state changes of the project, newest first. */
export async function registryEvents(projectId: string, limit = 50) {
  const events = await db().prisma.registryEvent.findMany({
    where: { projectId },
    orderBy: { id: "desc" },
    take: limit,
  });
  return events.map((event) => ({ ...event, id: event.id.toString() }));
}
