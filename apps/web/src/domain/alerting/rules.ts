import { db, isUniqueViolation, type Prisma } from "@vigil/db";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { parseInput } from "../telemetry/query-params.ts";
import { describeSpec, type ParsedRule, ruleInput, ruleSpec } from "./rule-spec.ts";

// Alert rules of a project: created, changed and removed here; evaluated by the leader.

export function parseRule(input: unknown): ParsedRule {
  return parseInput(ruleInput, input);
}

function columns(rule: ParsedRule) {
  return {
    name: rule.name,
    spec: rule.spec,
    intervalSeconds: rule.interval,
    forSeconds: rule.for,
    keepFiringForSeconds: rule.keepFiringFor,
    labels: rule.labels,
    annotations: rule.annotations,
    enabled: rule.enabled,
  };
}

type Row = Prisma.AlertRuleGetPayload<{ include: { instances: { select: { state: true } } } }>;

function view(row: Row) {
  const spec = ruleSpec.parse(row.spec);
  const count = (state: string) =>
    row.instances.filter((instance) => instance.state === state).length;
  const firing = count("firing");
  const pending = count("pending");
  return {
    id: row.id,
    name: row.name,
    spec,
    description: describeSpec(spec),
    interval: row.intervalSeconds,
    for: row.forSeconds,
    keepFiringFor: row.keepFiringForSeconds,
    labels: row.labels as Record<string, string>,
    annotations: row.annotations as Record<string, string>,
    enabled: row.enabled,
    provisioned: row.provisioned,
    /** The rule's state: its worst alert. */
    state: !row.enabled ? "disabled" : firing ? "firing" : pending ? "pending" : "inactive",
    firing,
    pending,
    lastEvalAt: row.lastEvalAt,
    lastEvalMs: row.lastEvalMs,
    lastError: row.lastError,
  };
}
export type RuleView = ReturnType<typeof view>;

const withStates = { instances: { select: { state: true } } } as const;

export async function listRules(projectId: string): Promise<RuleView[]> {
  const rows = await db().prisma.alertRule.findMany({
    where: { projectId },
    include: withStates,
    orderBy: { name: "asc" },
  });
  return rows.map(view);
}

export async function getRule(projectId: string, id: string): Promise<RuleView> {
  const row = z.uuid().safeParse(id).success
    ? await db().prisma.alertRule.findUnique({
        where: { projectId_id: { projectId, id } },
        include: withStates,
      })
    : null;
  if (!row) throw new DomainError("NOT_FOUND", "No such alert rule in this project");
  return view(row);
}

async function named<T>(write: () => Promise<T>, name: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError(
        "CONFLICT",
        `An alert rule named ${name} already exists in this project`,
      );
    throw error;
  }
}

export async function createRule(
  projectId: string,
  input: unknown,
  provisioned = false,
): Promise<RuleView> {
  const rule = parseRule(input);
  const row = await named(
    () =>
      db().prisma.alertRule.create({
        data: { projectId, ...columns(rule), provisioned },
        include: withStates,
      }),
    rule.name,
  );
  return view(row);
}

/** Replaces a rule; its alerts keep their states and it is evaluated again at once. */
export async function updateRule(
  projectId: string,
  id: string,
  input: unknown,
  provisioned?: boolean,
) {
  await getRule(projectId, id);
  const rule = parseRule(input);
  const row = await named(
    () =>
      db().prisma.alertRule.update({
        where: { projectId_id: { projectId, id } },
        data: {
          ...columns(rule),
          ...(provisioned !== undefined ? { provisioned } : {}),
          nextEvalAt: new Date(),
          updatedAt: new Date(),
        },
        include: withStates,
      }),
    rule.name,
  );
  return view(row);
}

export async function deleteRule(projectId: string, id: string): Promise<void> {
  await getRule(projectId, id);
  await db().prisma.alertRule.delete({ where: { projectId_id: { projectId, id } } });
}
