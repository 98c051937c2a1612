import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { db } from "@vigil/db";
import { dependencyEdges } from "@vigil/db/telemetry";
import { registryOverview } from "../../registry/registry.ts";
import { runtime } from "../../server/runtime.ts";
import { alertmanagerBody, type Labels, type NotifiedAlert } from "./alertmanager-payload.ts";
import { renderBody } from "./body-template.ts";
import { type Routing, routingOf } from "./config.ts";
import { parseMatcher } from "./matchers.ts";
import { type Destination, destinations, groupKeyOf, groupLabelsOf } from "./routing.ts";
import { type Candidate, suppressed, toInhibitRule } from "./suppression.ts";

// The notifier: from the alerts' durable states, each receiver's groups (route + group_by
// values) are notified after group_wait, again after group_interval when they change, and every
// repeat_interval while they fire. A notification is written to the outbox in the same
// transaction that records what its group was told, so none is lost or sent twice by a crash.

type Alert = Candidate & {
  ruleId: string;
  annotations: Labels;
  startsAt: Date;
  resolvedAt: Date | null;
};
type Group = {
  destination: Destination;
  receiverId: string;
  receiver: string;
  labels: Labels;
  alerts: Alert[];
};

const DEPENDENCY_WINDOW_MS = 15 * 60_000;
// Who calls whom, per project, while the same services are critical (re-read every 30 s).
const dependencyCache = new Map<
  string,
  { at: number; critical: string; value: Map<string, string[]> }
>();

// Reading who calls whom joins a window of spans: on a busy store it can take seconds, and the
// notifier must not wait on it. Past this budget, the pass goes on with what was known before
// (or no inhibition by dependency) and the read finishes in the background for the next pass.
const DEPENDENCY_BUDGET_MS = 2000;
const DEPENDENCY_TIMEOUT_MS = 15_000;
const dependencyReads = new Map<string, Promise<Map<string, string[]>>>();

/** The edges of the last minutes, read under a timeout (so a stop need not wait). */
const boundedEdges = (projectId: string, nowMs: number) =>
  dependencyEdges(
    db().pool,
    projectId,
    {
      fromNs: BigInt(nowMs - DEPENDENCY_WINDOW_MS) * 1_000_000n,
      toNs: BigInt(nowMs) * 1_000_000n,
    },
    { timeoutMs: DEPENDENCY_TIMEOUT_MS },
  );

function withinBudget(
  projectId: string,
  critical: string,
  nowMs: number,
): Promise<Map<string, string[]> | undefined> {
  let read = dependencyReads.get(projectId);
  if (!read) {
    read = boundedEdges(projectId, nowMs)
      .then((edges) => {
        const value = new Map<string, string[]>();
        for (const edge of edges)
          value.set(edge.caller, [...(value.get(edge.caller) ?? []), edge.callee]);
        dependencyCache.set(projectId, { at: nowMs, critical, value });
        return value;
      })
      .finally(() => dependencyReads.delete(projectId));
    dependencyReads.set(projectId, read);
  }
  const done = new AbortController();
  const budget = sleep(DEPENDENCY_BUDGET_MS, undefined, { signal: done.signal }).catch(
    () => undefined,
  );
  return Promise.race([read, budget]).finally(() => done.abort());
}

/** For each service, the services it called lately that are critical in the registry. */
async function criticalDependencies(
  projectId: string,
  nowMs: number,
): Promise<Map<string, string[]>> {
  const instances = await registryOverview(projectId);
  const byService = new Map<string, boolean>();
  for (const instance of instances)
    byService.set(
      instance.service,
      (byService.get(instance.service) ?? true) && instance.health === "critical",
    );
  const critical = new Set([...byService].filter(([, all]) => all).map(([service]) => service));
  if (critical.size === 0) return new Map();
  const criticalKey = [...critical].sort().join(",");
  const cached = dependencyCache.get(projectId);
  let callers =
    cached && cached.critical === criticalKey && nowMs - cached.at < 30_000
      ? cached.value
      : undefined;
  if (!callers) callers = (await withinBudget(projectId, criticalKey, nowMs)) ?? cached?.value;
  if (!callers) return new Map();
  return new Map(
    [...callers].map(([caller, callees]) => [
      caller,
      callees.filter((callee) => critical.has(callee)),
    ]),
  );
}

/** What each alert of a project is held back by now (silence or inhibition), by fingerprint. */
export async function suppressionOf(
  projectId: string,
  alerts: Candidate[],
  nowMs: number,
  routing?: Routing,
) {
  const [silences, inUse, dependencies] = await Promise.all([
    db().prisma.alertSilence.findMany({
      where: { projectId, startsAt: { lte: new Date(nowMs) }, endsAt: { gt: new Date(nowMs) } },
    }),
    routing ?? routingOf(projectId),
    alerts.length > 0 ? criticalDependencies(projectId, nowMs) : new Map<string, string[]>(),
  ]);
  return suppressed(
    alerts,
    silences.map((silence) => ({
      id: silence.id,
      comment: silence.comment,
      matchers: (silence.matchers as string[]).map(parseMatcher),
    })),
    inUse.inhibitRules.map(toInhibitRule),
    dependencies,
  );
}

function generatorURL(projectId: string, ruleId: string): string {
  return `${runtime().baseUrl}/projects/${projectId}/alerts/rules/${ruleId}`;
}

async function groupsOf(
  projectId: string,
  alerts: Alert[],
  routing: Routing,
): Promise<Map<string, Group>> {
  const receivers = await db().prisma.alertReceiver.findMany({
    where: { projectId },
    select: { id: true, name: true },
  });
  const idOf = new Map(receivers.map((receiver) => [receiver.name, receiver.id]));
  const groups = new Map<string, Group>();
  for (const alert of alerts) {
    for (const destination of destinations(routing.route, alert.labels)) {
      const receiverId = idOf.get(destination.receiver);
      if (!receiverId) continue;
      const labels = groupLabelsOf(destination.groupBy, alert.labels);
      const key = groupKeyOf(destination, labels);
      const id = `${receiverId} ${key}`;
      const group = groups.get(id) ?? {
        destination,
        receiverId,
        receiver: destination.receiver,
        labels,
        alerts: [],
      };
      group.alerts.push(alert);
      groups.set(id, group);
    }
  }
  return groups;
}

type Told = Record<string, "firing" | "resolved">;

async function flush(
  projectId: string,
  group: Group,
  key: string,
  told: Told,
  alerts: Alert[],
  now: Date,
) {
  const state: Told = Object.fromEntries(
    alerts.map((alert) => [alert.fingerprint, alert.firing ? "firing" : "resolved"]),
  );
  const anyFiring = alerts.some((alert) => alert.firing);
  await db().prisma.$transaction(async (tx) => {
    if (alerts.length > 0) {
      const notified: NotifiedAlert[] = alerts.map((alert) => ({
        status: alert.firing ? "firing" : "resolved",
        labels: alert.labels,
        annotations: alert.annotations,
        startsAt: alert.startsAt,
        endsAt: alert.firing ? null : alert.resolvedAt,
        generatorURL: generatorURL(projectId, alert.ruleId),
      }));
      const payload = alertmanagerBody({
        receiver: group.receiver,
        groupKey: key,
        groupLabels: group.labels,
        alerts: notified,
        externalURL: `${runtime().baseUrl}/projects/${projectId}/alerts`,
      });
      const receiver = await tx.alertReceiver.findUniqueOrThrow({
        where: { projectId_id: { projectId, id: group.receiverId } },
        select: { bodyTemplate: true },
      });
      await tx.alertNotification.create({
        data: {
          projectId,
          id: `msg_${randomUUID().replaceAll("-", "")}`,
          receiverId: group.receiverId,
          groupKey: key,
          alertStatus: payload.status,
          alerts: alerts.length,
          body: receiver.bodyTemplate
            ? renderBody(receiver.bodyTemplate, payload)
            : JSON.stringify(payload),
        },
      });
    }
    const where = {
      projectId_receiverId_groupKey: { projectId, receiverId: group.receiverId, groupKey: key },
    };
    if (!anyFiring) await tx.alertGroup.delete({ where });
    else
      await tx.alertGroup.update({
        where,
        data: { lastFlushAt: now, nextFlushAt: null, lastNotified: { ...told, ...state } },
      });
  });
}

function sameFiring(told: Told, alerts: Alert[]): boolean {
  const firingNow = alerts
    .filter((alert) => alert.firing)
    .map((alert) => alert.fingerprint)
    .sort();
  const firingTold = Object.keys(told)
    .filter((fp) => told[fp] === "firing")
    .sort();
  return firingNow.join() === firingTold.join() && alerts.every((alert) => alert.firing);
}

/** One pass of the notifier over one project. */
async function notifyProject(projectId: string, nowMs: number): Promise<void> {
  const now = new Date(nowMs);
  const rows = await db().prisma.alertInstance.findMany({
    where: { projectId, state: { in: ["firing", "resolved"] } },
  });
  const alerts: Alert[] = rows
    .filter((row) => (row.state === "resolved" ? row.firedAt !== null : true))
    .map((row) => ({
      fingerprint: row.fingerprint,
      ruleId: row.ruleId,
      labels: row.labels as Labels,
      annotations: row.annotations as Labels,
      firing: row.state === "firing",
      startsAt: row.firedAt ?? row.activeSince,
      resolvedAt: row.resolvedAt,
    }));
  const routing = await routingOf(projectId);
  const held = await suppressionOf(projectId, alerts, nowMs, routing);
  const groups = await groupsOf(
    projectId,
    alerts.filter((alert) => !held.has(alert.fingerprint)),
    routing,
  );
  const stored = await db().prisma.alertGroup.findMany({ where: { projectId } });
  const storedById = new Map(stored.map((row) => [`${row.receiverId} ${row.groupKey}`, row]));
  for (const row of stored) {
    if (!groups.has(`${row.receiverId} ${row.groupKey}`))
      await db().prisma.alertGroup.deleteMany({
        where: { projectId, receiverId: row.receiverId, groupKey: row.groupKey },
      });
  }
  for (const [id, group] of groups) {
    const key = id.slice(id.indexOf(" ") + 1);
    const row = storedById.get(id);
    if (!row) {
      if (group.alerts.some((alert) => alert.firing))
        await db().prisma.alertGroup.create({
          data: {
            projectId,
            receiverId: group.receiverId,
            groupKey: key,
            groupLabels: group.labels,
            createdAt: now,
            nextFlushAt: new Date(nowMs + group.destination.groupWaitMs),
          },
        });
      continue;
    }
    const told = row.lastNotified as Told;
    // Resolved alerts belong to the group until it has told the receiver they resolved.
    const members = group.alerts.filter(
      (alert) =>
        alert.firing ||
        (told[alert.fingerprint] !== "resolved" && (alert.resolvedAt ?? now) >= row.createdAt),
    );
    let due = row.nextFlushAt;
    if (!due) {
      const last = row.lastFlushAt?.getTime() ?? 0;
      if (!sameFiring(told, members))
        due = new Date(Math.max(nowMs, last + group.destination.groupIntervalMs));
      else if (nowMs >= last + group.destination.repeatIntervalMs) due = now;
      if (due && due.getTime() > nowMs)
        await db().prisma.alertGroup.update({
          where: {
            projectId_receiverId_groupKey: { projectId, receiverId: row.receiverId, groupKey: key },
          },
          data: { nextFlushAt: due },
        });
    }
    if (due && due.getTime() <= nowMs) await flush(projectId, group, key, told, members, now);
  }
}

/** One pass of the notifier over every project with alerts or groups. */
export async function notifyAll(nowMs = Date.now()): Promise<void> {
  const projects = await db().pool.query<{ project_id: string }>(
    `SELECT DISTINCT project_id FROM alert_instance WHERE state IN ('firing', 'resolved')
     UNION SELECT DISTINCT project_id FROM alert_group`,
  );
  for (const { project_id } of projects.rows) await notifyProject(project_id, nowMs);
}
