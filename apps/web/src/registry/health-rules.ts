import { db } from "@vigil/db";
import { metricByInstance } from "@vigil/db/registry";
import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { registryChange } from "./changes.ts";
import type { Status } from "./registry.ts";

export const healthRuleInput = z.object({
  name: z.string().trim().min(1, "name is required").max(80, "name is at most 80 characters"),
  metric: z.string().trim().min(1, "metric is required (a metric name, e.g. postgresql.wal.delay)"),
  aggregation: z
    .enum(["last", "avg", "max", "min"], "aggregation must be last, avg, max or min")
    .default("last"),
  windowSeconds: z
    .number()
    .int()
    .min(10, "windowSeconds must be 10–86400")
    .max(86_400, "windowSeconds must be 10–86400")
    .default(60),
  comparison: z.enum([">", ">=", "<", "<="], "comparison must be >, >=, < or <="),
  threshold: z.number({ error: "threshold must be a number" }),
  status: z.enum(["warning", "critical"], "status must be warning or critical").default("warning"),
});

export type HealthRuleInput = z.input<typeof healthRuleInput>;

export async function createHealthRule(projectId: string, input: HealthRuleInput) {
  const parsed = healthRuleInput.safeParse(input);
  if (!parsed.success)
    throw new DomainError(
      "BAD_REQUEST",
      parsed.error.issues.map((issue) => issue.message).join("; "),
    );
  return db().prisma.registryHealthRule.create({ data: { projectId, ...parsed.data } });
}

export function listHealthRules(projectId: string) {
  return db().prisma.registryHealthRule.findMany({
    where: { projectId },
    orderBy: { createdAt: "asc" },
  });
}

export async function deleteHealthRule(projectId: string, id: string): Promise<void> {
  const removed = await db().prisma.$transaction(async (tx) => {
    await tx.registryCheck.deleteMany({ where: { projectId, id: { startsWith: `rule:${id}:` } } });
    return tx.registryHealthRule.deleteMany({ where: { projectId, id } });
  });
  if (removed.count === 0)
    throw new DomainError("NOT_FOUND", "No such health rule in this project");
}

const compare = {
  ">": (a: number, b: number) => a > b,
  ">=": (a: number, b: number) => a >= b,
  "<": (a: number, b: number) => a < b,
  "<=": (a: number, b: number) => a <= b,
};

/**
 * Evaluates every health rule: each registry instance whose service and id match an emitting
 * telemetry instance (service.name, service.instance.id) gets a `rule:<rule>:<instance>` check — the rule's
 * status while the condition holds, passing otherwise, passing with "no data" when the metric
 * has no point in the window. Status changes move the index and are recorded.
 */
export async function evaluateHealthRules(nowMs = Date.now()): Promise<number> {
  const rules = await db().prisma.registryHealthRule.findMany();
  let changed = 0;
  for (const rule of rules) {
    const sinceNs = BigInt(nowMs - rule.windowSeconds * 1000) * 1_000_000n;
    const values = await metricByInstance(
      db().pool,
      rule.projectId,
      rule.metric,
      rule.aggregation as "last",
      sinceNs,
    );
    const byInstance = new Map(
      values.map((row) => [`${row.service}\u0000${row.instance}`, row.value]),
    );
    const instances = await db().prisma.registryInstance.findMany({
      where: { projectId: rule.projectId },
      include: { checks: { where: { id: { startsWith: `rule:${rule.id}:` } } } },
    });
    for (const instance of instances) {
      const value = byInstance.get(`${instance.service}\u0000${instance.id}`);
      const breached =
        value !== undefined && compare[rule.comparison as ">"](value, rule.threshold);
      const status: Status = breached ? (rule.status as Status) : "passing";
      const output =
        value === undefined
          ? `no data for ${rule.metric} in the last ${rule.windowSeconds}s`
          : `${rule.aggregation}(${rule.metric}) over ${rule.windowSeconds}s = ${value} (${rule.comparison} ${rule.threshold} is ${breached ? "true" : "false"})`;
      // Check ids are unique per project (Vigil answers as one Consul node): one per rule and instance.
      const checkId = `rule:${rule.id}:${instance.id}`;
      const existing = instance.checks[0];
      if (existing && existing.status === status) {
        if (existing.output !== output)
          await db().prisma.registryCheck.updateMany({
            where: { projectId: rule.projectId, id: existing.id },
            data: { output },
          });
        continue;
      }
      await registryChange(rule.projectId, async (tx, next) => {
        await tx.registryCheck.upsert({
          where: { projectId_id: { projectId: rule.projectId, id: checkId } },
          update: {
            status,
            output,
            modifyIndex: next,
            criticalSince: status === "critical" ? new Date(nowMs) : null,
          },
          create: {
            projectId: rule.projectId,
            id: checkId,
            instanceId: instance.id,
            name: rule.name,
            kind: "rule",
            status,
            output,
            createIndex: next,
            modifyIndex: next,
            criticalSince: status === "critical" ? new Date(nowMs) : null,
          },
        });
        await tx.registryEvent.create({
          data: {
            projectId: rule.projectId,
            instanceId: instance.id,
            checkId,
            fromStatus: existing?.status ?? null,
            toStatus: status,
            output,
          },
        });
      });
      changed += 1;
    }
  }
  return changed;
}
