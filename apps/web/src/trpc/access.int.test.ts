import { randomBytes } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { db, type Role } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { beforeAll, describe, expect, it } from "vitest";
import type { UserRecord } from "../domain/accounts/users.ts";
import { createReceiver } from "../domain/alerting/receivers.ts";
import { createRule } from "../domain/alerting/rules.ts";
import { createSilence } from "../domain/alerting/silences.ts";
import { addChart, createDashboard } from "../domain/dashboards/dashboards.ts";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { roleAtLeast } from "../domain/tenancy/roles.ts";
import { createHealthRule } from "../registry/health-rules.ts";
import { setTestRuntime } from "../testing/alerting.ts";
import { callerFor, createMember, createOrgWithProject } from "../testing/fixtures.ts";
import { appRouter } from "./root.ts";

setupTestDatabase();
beforeAll(() => setTestRuntime());

// Every procedure, the least role it needs, and how to build a valid input for a project.
// A procedure missing here fails the first test: new procedures must state who may call them.
type Needs = Role | "signed-in";
// okCode: what an allowed call answers when the project simply has no such data (not FORBIDDEN).
type Case = {
  needs: Needs;
  input: (projectId: string, organizationId: string) => Promise<unknown> | unknown;
  okCode?: string;
};
const tag = () => randomBytes(4).toString("hex");

const alertRule = () => ({
  name: `rule ${tag()}`,
  spec: { kind: "registry", condition: "passing_below", service: "api", threshold: 1 },
});
// Port 9 (discard): nothing listens, so a test send fails fast without leaving the machine.
const receiver = () => ({ name: `hook ${tag()}`, url: "http://127.0.0.1:9/hook" });
const receiverId = async (projectId: string) =>
  (await createReceiver(projectId, receiver())).receiver.id;

const procedures: Record<string, Case> = {
  "alerting.rules": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.rule": {
    needs: "viewer",
    input: async (projectId) => ({
      projectId,
      ruleId: (await createRule(projectId, alertRule())).id,
    }),
  },
  "alerting.createRule": {
    needs: "editor",
    input: (projectId) => ({ projectId, rule: alertRule() }),
  },
  "alerting.updateRule": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      ruleId: (await createRule(projectId, alertRule())).id,
      rule: alertRule(),
    }),
  },
  "alerting.deleteRule": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      ruleId: (await createRule(projectId, alertRule())).id,
    }),
  },
  "alerting.preview": { needs: "viewer", input: (projectId) => ({ projectId, rule: alertRule() }) },
  "alerting.alerts": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.history": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.receivers": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.createReceiver": {
    needs: "admin",
    input: (projectId) => ({ projectId, receiver: receiver() }),
  },
  "alerting.updateReceiver": {
    needs: "admin",
    input: async (projectId) => ({
      projectId,
      receiverId: await receiverId(projectId),
      receiver: { url: "http://127.0.0.1:9/other" },
    }),
  },
  "alerting.deleteReceiver": {
    needs: "admin",
    input: async (projectId) => ({ projectId, receiverId: await receiverId(projectId) }),
  },
  "alerting.rotateSecret": {
    needs: "admin",
    input: async (projectId) => ({ projectId, receiverId: await receiverId(projectId) }),
  },
  "alerting.sendTest": {
    needs: "admin",
    input: async (projectId) => ({ projectId, receiverId: await receiverId(projectId) }),
  },
  "alerting.notifications": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.replay": {
    needs: "admin",
    input: (projectId) => ({ projectId, notificationId: "msg_none" }),
    okCode: "NOT_FOUND",
  },
  "alerting.routing": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.setRouting": {
    needs: "admin",
    input: (projectId) => ({ projectId, routing: { route: null, inhibitRules: null } }),
  },
  "alerting.silences": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "alerting.createSilence": {
    needs: "editor",
    input: (projectId) => ({
      projectId,
      silence: {
        matchers: ["service=api"],
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    }),
  },
  "alerting.expireSilence": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      silenceId: (
        await createSilence(
          projectId,
          { matchers: ["service=api"], endsAt: new Date(Date.now() + 3_600_000) },
          "t",
        )
      ).id,
    }),
  },
  "me.get": { needs: "signed-in", input: () => undefined },
  "projects.list": { needs: "signed-in", input: () => undefined },
  "projects.get": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "projects.create": { needs: "admin", input: (projectId) => ({ projectId, name: `p ${tag()}` }) },
  "projects.retention": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "projects.setRetention": {
    needs: "admin",
    input: (projectId) => ({ projectId, signal: "logs", days: 3 }),
  },
  "projects.thresholds": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "projects.ingestLimits": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "projects.setIngestLimits": {
    needs: "admin",
    input: (projectId) => ({ projectId, limits: { seriesPerRequest: 5000 } }),
  },
  "projects.setThresholds": {
    needs: "admin",
    input: (projectId) => ({ projectId, thresholds: { shardSkew: { warning: 2, bad: 4 } } }),
  },
  "keys.list": { needs: "admin", input: (projectId) => ({ projectId }) },
  "keys.create": {
    needs: "admin",
    input: (projectId) => ({ projectId, name: "k", scope: "ingest" }),
  },
  "keys.revoke": {
    needs: "admin",
    input: async (projectId) => ({
      projectId,
      keyId: (await createApiKey({ projectId, name: "r", scope: "read" })).key.id,
    }),
  },
  "telemetry.services": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "telemetry.traces": { needs: "viewer", input: (projectId) => ({ projectId, query: {} }) },
  "registry.instances": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "registry.events": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "registry.rules": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "registry.createRule": {
    needs: "editor",
    input: (projectId) => ({
      projectId,
      rule: { name: "lag", metric: "postgresql.wal.delay", comparison: ">", threshold: 5 },
    }),
  },
  "registry.deleteRule": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      ruleId: (
        await createHealthRule(projectId, { name: "x", metric: "m", comparison: ">", threshold: 1 })
      ).id,
    }),
  },
  "telemetry.logs": { needs: "viewer", input: (projectId) => ({ projectId, query: {} }) },
  "dashboards.list": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "dashboards.get": {
    needs: "viewer",
    input: async (projectId) => ({
      projectId,
      dashboardId: (await createDashboard(projectId, "g")).id,
    }),
  },
  "dashboards.create": { needs: "editor", input: (projectId) => ({ projectId, name: "ops" }) },
  "dashboards.rename": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      dashboardId: (await createDashboard(projectId, "r")).id,
      name: "renamed",
    }),
  },
  "dashboards.delete": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      dashboardId: (await createDashboard(projectId, "d")).id,
    }),
  },
  "dashboards.addChart": {
    needs: "editor",
    input: async (projectId) => ({
      projectId,
      dashboardId: (await createDashboard(projectId, "a")).id,
      chart: { title: "cpu", query: { name: "process.cpu.utilization" } },
    }),
  },
  "dashboards.removeChart": {
    needs: "editor",
    input: async (projectId) => {
      const board = await createDashboard(projectId, "c");
      const withChart = await addChart(projectId, board.id, {
        title: "cpu",
        query: { name: "process.cpu.utilization" },
      });
      return { projectId, dashboardId: board.id, chartId: withChart.charts[0]?.id };
    },
  },
  "telemetry.trace": {
    needs: "viewer",
    input: (projectId) => ({ projectId, traceId: "5b8efff798038103d269b633813fc60c" }),
    okCode: "NOT_FOUND",
  },
  "telemetry.metric": {
    needs: "viewer",
    input: (projectId) => ({ projectId, query: { name: "none" } }),
    okCode: "NOT_FOUND",
  },
  // No demo fleet runs in these tests: its status is null, and its switches are not found.
  "demo.status": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "demo.set": {
    needs: "editor",
    input: (projectId) => ({ projectId, name: "cache-flush" }),
    okCode: "NOT_FOUND",
  },
  "members.list": { needs: "viewer", input: (projectId) => ({ projectId }) },
  "members.add": {
    needs: "admin",
    input: (projectId) => ({ projectId, email: `new-${tag()}@vigil.test`, role: "viewer" }),
  },
  "members.setRole": {
    needs: "admin",
    input: async (projectId, organizationId) => ({
      projectId,
      userId: (await createMember(organizationId, "viewer")).id,
      role: "editor",
    }),
  },
  "members.remove": {
    needs: "admin",
    input: async (projectId, organizationId) => ({
      projectId,
      userId: (await createMember(organizationId, "viewer")).id,
    }),
  },
};

type Procedure = (input: unknown) => Promise<unknown>;
function procedure(caller: ReturnType<typeof callerFor>, path: string): Procedure {
  const found = path
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown>)[part], caller);
  if (typeof found !== "function") throw new Error(`no procedure ${path}`);
  return found as Procedure;
}

async function outcome(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("tRPC access control", () => {
  let org: { organizationId: string; projectId: string };
  let other: { organizationId: string; projectId: string };
  const users = {} as Record<Role | "outsider", UserRecord>;

  beforeAll(async () => {
    org = await createOrgWithProject();
    other = await createOrgWithProject();
    for (const role of ["admin", "editor", "viewer"] as const)
      users[role] = await createMember(org.organizationId, role);
    users.outsider = await createMember(other.organizationId, "admin");
  });

  it("states the needed role of every procedure", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(procedures).sort());
  });

  for (const [path, { needs, input, okCode = "OK" }] of Object.entries(procedures)) {
    it(`${path}: allowed from ${needs} up, refused below, hidden from other organisations`, async () => {
      expect(
        await outcome(
          procedure(callerFor(null), path)(await input(org.projectId, org.organizationId)),
        ),
      ).toBe("UNAUTHORIZED");
      for (const role of ["viewer", "editor", "admin"] as const) {
        const result = await outcome(
          procedure(callerFor(users[role]), path)(await input(org.projectId, org.organizationId)),
        );
        const allowed = needs === "signed-in" || roleAtLeast(role, needs);
        expect({ role, result }).toEqual({ role, result: allowed ? okCode : "FORBIDDEN" });
      }
      if (needs !== "signed-in") {
        const result = await outcome(
          procedure(
            callerFor(users.outsider),
            path,
          )(await input(org.projectId, org.organizationId)),
        );
        expect(result).toBe("NOT_FOUND");
      }
    });
  }

  it("does not act on another project's ids passed through a project the caller administers", async () => {
    const foreignKey = await createApiKey({
      projectId: other.projectId,
      name: "theirs",
      scope: "read",
    });
    const admin = callerFor(users.admin);
    await expect(
      admin.keys.revoke({ projectId: org.projectId, keyId: foreignKey.key.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(
      (await db().prisma.apiKey.findUniqueOrThrow({ where: { id: foreignKey.key.id } })).revokedAt,
    ).toBeNull();

    const foreignMember = await createMember(other.organizationId, "viewer");
    await expect(
      admin.members.setRole({ projectId: org.projectId, userId: foreignMember.id, role: "admin" }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      admin.members.remove({ projectId: org.projectId, userId: foreignMember.id }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(
      await db().prisma.membership.count({ where: { userId: foreignMember.id, role: "viewer" } }),
    ).toBe(1);

    const keys = await admin.keys.list({ projectId: org.projectId });
    expect(keys.map((key) => key.id)).not.toContain(foreignKey.key.id);
    const projects = await callerFor(users.viewer).projects.list();
    expect(projects.map((project) => project.id)).toContain(org.projectId);
    expect(projects.map((project) => project.id)).not.toContain(other.projectId);
    expect(new Set(projects.map((project) => project.organizationId))).toEqual(
      new Set([org.organizationId]),
    );
  });

  it("explains validation errors in words", async () => {
    const admin = callerFor(users.admin);
    await expect(
      admin.keys.create({ projectId: org.projectId, name: "", scope: "ingest" }),
    ).rejects.toThrow(/name is required/);
    await expect(
      admin.keys.create({ projectId: "not-a-uuid", name: "x", scope: "ingest" }),
    ).rejects.toThrow(/projectId must be a project id/);
  });

  it("keeps at least one admin in an organisation", async () => {
    const solo = await createOrgWithProject();
    const onlyAdmin = await createMember(solo.organizationId, "admin");
    const helper = await createMember(solo.organizationId, "admin");
    await callerFor(helper).members.remove({ projectId: solo.projectId, userId: onlyAdmin.id });
    await expect(
      callerFor(helper).members.setRole({
        projectId: solo.projectId,
        userId: helper.id,
        role: "viewer",
      }),
    ).rejects.toThrow(/at least one admin/);
  });
});
