import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { verifyPassword } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { bootstrap } from "./bootstrap.ts";
import { authenticateApiKey } from "./keys/api-keys.ts";

setupTestDatabase();

const initEnv = {
  VIGIL_INIT_INGEST_KEY: "ingest-0123456789abcdefghijkl",
  VIGIL_INIT_API_KEY: "apikey-0123456789abcdefghijkl",
  VIGIL_INIT_ADMIN_EMAIL: "ops@example.com",
  VIGIL_INIT_ADMIN_PASSWORD: "a-long-admin-password",
};

async function snapshot() {
  const prisma = db().prisma;
  return {
    users: await prisma.user.findMany({ orderBy: { email: "asc" } }),
    accounts: await prisma.account.findMany({ orderBy: { id: "asc" } }),
    memberships: await prisma.membership.findMany({ orderBy: { userId: "asc" } }),
    organizations: await prisma.organization.findMany({ orderBy: { slug: "asc" } }),
    projects: await prisma.project.findMany({ orderBy: { slug: "asc" } }),
    keys: await prisma.apiKey.findMany({ orderBy: { hash: "asc" } }),
  };
}

describe("bootstrap", () => {
  it("creates exactly the keys and admin named by VIGIL_INIT_*, and a second run changes nothing", async () => {
    const first = await bootstrap(initEnv);
    expect(first.generatedAdmin).toBeUndefined();
    expect(first.generatedIngestKey).toBeUndefined();

    const ingest = await authenticateApiKey(initEnv.VIGIL_INIT_INGEST_KEY, "ingest");
    const api = await authenticateApiKey(initEnv.VIGIL_INIT_API_KEY, "admin");
    expect(ingest).toMatchObject({
      ok: true,
      principal: { projectId: first.projectId, scope: "ingest" },
    });
    expect(api).toMatchObject({
      ok: true,
      principal: { projectId: first.projectId, scope: "admin" },
    });

    const admin = await db().prisma.user.findUniqueOrThrow({
      where: { email: initEnv.VIGIL_INIT_ADMIN_EMAIL },
      include: { accounts: true, memberships: true },
    });
    expect(admin.memberships.map((m) => m.role)).toEqual(["admin"]);
    const hash = admin.accounts[0]?.password ?? "";
    expect(await verifyPassword({ hash, password: initEnv.VIGIL_INIT_ADMIN_PASSWORD })).toBe(true);

    const before = await snapshot();
    const second = await bootstrap(initEnv);
    expect(second.projectId).toBe(first.projectId);
    expect(second.generatedAdmin).toBeUndefined();
    expect(await snapshot()).toEqual(before);
  });

  it("runs safely on several replicas at once", async () => {
    const reports = await Promise.all([bootstrap(initEnv), bootstrap(initEnv), bootstrap(initEnv)]);
    expect(new Set(reports.map((report) => report.projectId)).size).toBe(1);
    expect(await db().prisma.organization.count({ where: { slug: "default" } })).toBe(1);
    expect(await db().prisma.user.count({ where: { email: initEnv.VIGIL_INIT_ADMIN_EMAIL } })).toBe(
      1,
    );
  });

  it("leaves a revoked VIGIL_INIT key revoked across restarts", async () => {
    const report = await bootstrap(initEnv);
    await db().prisma.apiKey.updateMany({
      where: { name: "VIGIL_INIT_INGEST_KEY" },
      data: { revokedAt: new Date() },
    });
    const again = await bootstrap(initEnv);
    expect(again.notes).toContain(
      "VIGIL_INIT_INGEST_KEY: already registered, and revoked — it stays revoked",
    );
    expect(await authenticateApiKey(initEnv.VIGIL_INIT_INGEST_KEY, "ingest")).toEqual({
      ok: false,
      reason: "revoked",
    });
    expect(report.projectId).toBe(again.projectId);
  });
});
