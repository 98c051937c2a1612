import { readFile } from "node:fs/promises";
import { db } from "@vigil/db";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { describeIssues } from "../telemetry/query-params.ts";
import { setRouting } from "./config.ts";
import { createReceiver, updateReceiver } from "./receivers.ts";
import { createRule, parseRule, updateRule } from "./rules.ts";
import { createSilence } from "./silences.ts";

// Alerting as code: a YAML file (VIGIL_ALERTS_FILE) read at start, close to Prometheus rule
// files and Alertmanager's configuration (snake_case keys). What the file provisions is marked
// so: it is replaced on every start, and what the file no longer names is removed. Rules and
// receivers made in the UI or the API are left alone.

const text = z.string();
const fileSchema = z.strictObject({
  project: z.string().optional(),
  receivers: z
    .array(
      z.strictObject({
        name: text,
        url: text,
        headers: z.record(z.string(), z.string()).optional(),
        secret: text.optional(),
        body_template: text.optional(),
      }),
    )
    .default([]),
  route: z.unknown().optional(),
  inhibit_rules: z.array(z.unknown()).optional(),
  groups: z
    .array(
      z.strictObject({
        name: text,
        interval: z.union([text, z.number()]).optional(),
        rules: z.array(z.record(z.string(), z.unknown())),
      }),
    )
    .default([]),
  silences: z
    .array(
      z.strictObject({
        matchers: z.array(text),
        starts_at: z.union([text, z.date()]).optional(),
        ends_at: z.union([text, z.date()]),
        comment: text.optional(),
        created_by: text.optional(),
      }),
    )
    .default([]),
});

/** snake_case keys of a route tree or inhibit rule to the API's camelCase. */
function camel(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camel);
  if (!value || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [
      key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()),
      camel(inner),
    ]),
  );
}

/** One rule of the file in the API's shape. */
export function ruleFromFile(entry: Record<string, unknown>, groupInterval: unknown) {
  const {
    alert,
    registry,
    metric,
    service,
    where,
    group_by,
    agg,
    window,
    op,
    threshold,
    no_data,
    condition,
  } = entry;
  let comparison = op;
  let limit = threshold;
  // `condition: "> 0.5"` is shorthand for op and threshold.
  if (typeof condition === "string") {
    const match = /^\s*(>=|<=|==|!=|>|<)\s*(-?[\d.]+(?:e-?\d+)?)\s*$/.exec(condition);
    if (!match)
      throw new Error(`condition "${condition}" must be an operator and a number, like "> 0.5"`);
    comparison = match[1];
    limit = Number(match[2]);
  }
  const spec =
    entry.expr !== undefined
      ? { kind: "promql", expr: entry.expr }
      : registry
        ? { kind: "registry", condition: registry, service, threshold: limit }
        : {
            kind: "metric",
            metric,
            service,
            where,
            groupBy: group_by,
            agg,
            window,
            op: comparison,
            threshold: limit,
            noData: no_data,
          };
  return {
    name: alert,
    spec,
    interval: entry.interval ?? groupInterval,
    for: entry.for,
    keepFiringFor: entry.keep_firing_for,
    labels: entry.labels,
    annotations: entry.annotations,
  };
}

function at(where: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  throw new DomainError("BAD_REQUEST", `${where}: ${message}`);
}

/** Applies an alerting file to its project; every error names the file and the entry. */
export async function provisionAlerts(path: string, defaultProjectId: string) {
  const source = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) =>
    at(path, `cannot read it (${error.code ?? error.message})`),
  );
  return applyAlertsYaml(source, path, defaultProjectId);
}

/** Applies alerting YAML (`path` names it in errors) to its project. */
export async function applyAlertsYaml(source: string, path: string, defaultProjectId: string) {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    at(path, `not valid YAML: ${(error as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw ?? {});
  if (!parsed.success) at(path, describeIssues(parsed.error));
  const file = parsed.data;
  let projectId = defaultProjectId;
  if (file.project) {
    const project = await db().prisma.project.findFirst({
      where: { slug: file.project },
      select: { id: true },
    });
    if (!project) at(path, `project: no project with the slug ${file.project}`);
    projectId = project.id;
  }
  // Every rule is checked before anything is written, so a typo in one leaves the rest as it was.
  const rules = file.groups.flatMap((group, g) =>
    group.rules.map((entry, r) => {
      const where = `${path}: groups[${g}].rules[${r}]${typeof entry.alert === "string" ? ` (${entry.alert})` : ""}`;
      try {
        const input = ruleFromFile(entry, group.interval);
        parseRule(input);
        return input;
      } catch (error) {
        return at(where, error instanceof DomainError ? error.message : error);
      }
    }),
  );

  const receivers = await db().prisma.alertReceiver.findMany({ where: { projectId } });
  for (const [index, entry] of file.receivers.entries()) {
    const input = {
      name: entry.name,
      url: entry.url,
      headers: entry.headers ?? {},
      secret: entry.secret,
      bodyTemplate: entry.body_template ?? null,
    };
    const existing = receivers.find((receiver) => receiver.name === entry.name);
    try {
      if (existing) await updateReceiver(projectId, existing.id, input, true);
      else await createReceiver(projectId, input, true);
    } catch (error) {
      at(`${path}: receivers[${index}] (${entry.name})`, error);
    }
  }
  const keepReceivers = new Set(file.receivers.map((entry) => entry.name));
  await db().prisma.alertReceiver.deleteMany({
    where: { projectId, provisioned: true, name: { notIn: [...keepReceivers] } },
  });

  if (file.route !== undefined || file.inhibit_rules !== undefined) {
    try {
      await setRouting(
        projectId,
        { route: camel(file.route) ?? null, inhibitRules: camel(file.inhibit_rules) ?? null },
        true,
      );
    } catch (error) {
      at(`${path}: route/inhibit_rules`, error);
    }
  }

  const existingRules = await db().prisma.alertRule.findMany({
    where: { projectId },
    select: { id: true, name: true },
  });
  for (const input of rules) {
    const existing = existingRules.find((rule) => rule.name === input.name);
    if (existing) await updateRule(projectId, existing.id, input, true);
    else await createRule(projectId, input, true);
  }
  await db().prisma.alertRule.deleteMany({
    where: {
      projectId,
      provisioned: true,
      name: { notIn: rules.map((rule) => String(rule.name)) },
    },
  });

  await db().prisma.alertSilence.deleteMany({ where: { projectId, provisioned: true } });
  for (const [index, entry] of file.silences.entries()) {
    try {
      await createSilence(
        projectId,
        {
          matchers: entry.matchers,
          startsAt: entry.starts_at,
          endsAt: entry.ends_at,
          comment: entry.comment ?? "",
        },
        entry.created_by ?? `file ${path}`,
        true,
      );
    } catch (error) {
      at(`${path}: silences[${index}]`, error);
    }
  }
  return {
    projectId,
    receivers: file.receivers.length,
    rules: rules.length,
    silences: file.silences.length,
  };
}

const ruleFileSchema = z.strictObject({ groups: fileSchema.shape.groups });

/**
 * Applies a Prometheus rule file (`groups: [{ name, interval, rules: [...] }]`, YAML or JSON)
 * through the API: each rule is created, or updated when the project has one of its name.
 * Every rule is checked before any is written; the error names the group and rule.
 */
export async function applyPrometheusRules(projectId: string, source: string) {
  let raw: unknown;
  try {
    raw = parseYaml(source);
  } catch (error) {
    throw new DomainError(
      "BAD_REQUEST",
      `the rule file is not valid YAML or JSON: ${(error as Error).message}`,
    );
  }
  const parsed = ruleFileSchema.safeParse(raw ?? {});
  if (!parsed.success)
    throw new DomainError("BAD_REQUEST", `the rule file: ${describeIssues(parsed.error)}`);
  const inputs = parsed.data.groups.flatMap((group, g) =>
    group.rules.map((entry, r) => {
      try {
        const input = ruleFromFile(entry, group.interval);
        parseRule(input);
        return input;
      } catch (error) {
        return at(
          `groups[${g}].rules[${r}]${typeof entry.alert === "string" ? ` (${entry.alert})` : ""}`,
          error,
        );
      }
    }),
  );
  const existing = await db().prisma.alertRule.findMany({
    where: { projectId },
    select: { id: true, name: true },
  });
  const applied = [];
  for (const input of inputs) {
    const known = existing.find((rule) => rule.name === input.name);
    applied.push(
      known ? await updateRule(projectId, known.id, input) : await createRule(projectId, input),
    );
  }
  return { rules: applied };
}
