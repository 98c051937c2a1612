import { db, type Prisma } from "@vigil/db";
import { fingerprint, type Labels } from "./alertmanager-payload.ts";
import { ruleSpec } from "./rule-spec.ts";
import { groupKeys, ruleSamples, type Sample } from "./rule-values.ts";
import { type AlertState, nextState, type Tracked } from "./state-machine.ts";
import { expandAll } from "./templates.ts";

type RuleRow = Prisma.AlertRuleGetPayload<object>;

/** Resolved alerts are kept this long (for their notification and the UI), then forgotten. */
const KEEP_RESOLVED_MS = 3_600_000;

function pick(labels: Labels, keys: string[]): Labels {
  return Object.fromEntries(
    keys.filter((key) => key in labels).map((key) => [key, labels[key] as string]),
  );
}

/** An alert's labels: its group's, then the rule's (templated), then alertname. */
export function alertLabels(rule: Pick<RuleRow, "name" | "labels">, sample: Sample): Labels {
  return {
    ...sample.labels,
    ...expandAll(rule.labels as Labels, sample.labels, sample.value),
    alertname: rule.name,
  };
}

function tracked(row: {
  state: string;
  activeSince: Date;
  firedAt: Date | null;
  lastTrueAt: Date;
  resolvedAt: Date | null;
}): Tracked {
  return {
    state: row.state as AlertState,
    activeSince: row.activeSince.getTime(),
    firedAt: row.firedAt?.getTime() ?? null,
    lastTrueAt: row.lastTrueAt.getTime(),
    resolvedAt: row.resolvedAt?.getTime() ?? null,
  };
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

/**
 * Evaluates one rule at `nowMs` and records every state change with its history event in one
 * transaction. The notifier reads these states; nothing here waits on a receiver.
 */
export async function evaluateRule(rule: RuleRow, nowMs = Date.now()): Promise<void> {
  const spec = ruleSpec.parse(rule.spec);
  const timing = {
    forMs: rule.forSeconds * 1000,
    keepFiringForMs: rule.keepFiringForSeconds * 1000,
  };
  const existing = await db().prisma.alertInstance.findMany({
    where: { projectId: rule.projectId, ruleId: rule.id },
  });
  const keys = groupKeys(spec);
  const live = existing.filter((row) => row.state !== "resolved");
  const samples = await ruleSamples(
    rule.projectId,
    spec,
    nowMs,
    live.map((row) => pick(row.labels as Labels, keys)),
  );
  const bySample = new Map<string, { labels: Labels; sample: Sample }>();
  for (const sample of samples) {
    const labels = alertLabels(rule, sample);
    bySample.set(fingerprint(labels), { labels, sample });
  }
  // A live alert whose group no longer appears at all: its condition no longer holds.
  for (const row of live) {
    if (!bySample.has(row.fingerprint)) {
      const labels = row.labels as Labels;
      bySample.set(row.fingerprint, {
        labels,
        sample: { labels: pick(labels, keys), value: null, holds: false, reason: "" },
      });
    }
  }
  const previous = new Map(existing.map((row) => [row.fingerprint, row]));
  const now = new Date(nowMs);
  await db().prisma.$transaction(async (tx) => {
    for (const [key, { labels, sample }] of bySample) {
      const before = previous.get(key);
      const prior = before ? tracked(before) : null;
      const next = nextState(prior, sample.holds, nowMs, timing);
      const from = prior && prior.state !== "resolved" ? prior.state : "inactive";
      const to = next && next.state !== "resolved" ? next.state : next ? "resolved" : "inactive";
      const annotations = expandAll(rule.annotations as Labels, labels, sample.value);
      if (from !== to && !(from === "inactive" && to === "resolved")) {
        await tx.alertEvent.create({
          data: {
            projectId: rule.projectId,
            ruleId: rule.id,
            ruleName: rule.name,
            fingerprint: key,
            labels,
            fromState: from,
            toState: to,
            value: sample.value,
            reason: sample.reason,
            at: now,
          },
        });
      }
      if (!next) {
        if (before)
          await tx.alertInstance.delete({
            where: {
              projectId_ruleId_fingerprint: {
                projectId: rule.projectId,
                ruleId: rule.id,
                fingerprint: key,
              },
            },
          });
        continue;
      }
      if (!before && next.state === "resolved") continue;
      const data = {
        labels,
        annotations,
        state: next.state,
        value: sample.value,
        reason: sample.reason,
        activeSince: new Date(next.activeSince),
        firedAt: date(next.firedAt),
        lastTrueAt: new Date(next.lastTrueAt),
        resolvedAt: date(next.resolvedAt),
        updatedAt: now,
      };
      // A resolved alert keeps its final values; only live ones follow the samples.
      if (before?.state === "resolved" && next.state === "resolved") continue;
      await tx.alertInstance.upsert({
        where: {
          projectId_ruleId_fingerprint: {
            projectId: rule.projectId,
            ruleId: rule.id,
            fingerprint: key,
          },
        },
        update: data,
        create: { projectId: rule.projectId, ruleId: rule.id, fingerprint: key, ...data },
      });
    }
    await tx.alertInstance.deleteMany({
      where: {
        projectId: rule.projectId,
        ruleId: rule.id,
        state: "resolved",
        resolvedAt: { lt: new Date(nowMs - KEEP_RESOLVED_MS) },
      },
    });
  });
}

/** Every rule that is due: evaluated in turn, each failure kept on its rule rather than thrown. */
export async function evaluateDueRules(nowMs = Date.now()): Promise<number> {
  const due = await db().prisma.alertRule.findMany({
    where: { enabled: true, nextEvalAt: { lte: new Date(nowMs) } },
    orderBy: { nextEvalAt: "asc" },
    take: 200,
  });
  for (const rule of due) {
    const started = performance.now();
    let error = "";
    try {
      await evaluateRule(rule, Date.now());
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    await db().prisma.alertRule.updateMany({
      where: { projectId: rule.projectId, id: rule.id },
      data: {
        lastEvalAt: new Date(),
        lastEvalMs: Math.round(performance.now() - started),
        lastError: error,
        nextEvalAt: new Date(Date.now() + rule.intervalSeconds * 1000),
      },
    });
  }
  return due.length;
}
