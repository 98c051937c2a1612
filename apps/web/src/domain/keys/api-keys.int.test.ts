import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { describe, expect, it } from "vitest";
import { GET as getProject } from "../../app/api/v1/project/route.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { authenticateApiKey, createApiKey, revokeApiKey } from "./api-keys.ts";

const database = setupTestDatabase();

const readApi = (key?: string) =>
  getProject(
    new Request("http://vigil.test/api/v1/project", {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    }),
  );

describe("API keys", () => {
  it("never store the secret: not in any column, only its SHA-256", async () => {
    const { projectId } = await createOrgWithProject();
    const { secret, key } = await createApiKey({ projectId, name: "ci", scope: "read" });
    expect(secret).toMatch(/^vgl_rk_[A-Za-z0-9]{32}$/);
    expect(key.prefix).toBe(secret.slice(0, 12));

    const dump = await database
      .current()
      .pool.query("SELECT row_to_json(k)::text AS row FROM api_key k");
    const text = dump.rows.map((row: { row: string }) => row.row).join("\n");
    expect(text).not.toContain(secret);
    expect(text).not.toContain(secret.slice(12));
    const stored = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuse a revoked key, through the domain and through the read API", async () => {
    const { projectId } = await createOrgWithProject();
    const { secret, key } = await createApiKey({ projectId, name: "script", scope: "read" });
    expect((await readApi(secret)).status).toBe(200);

    await revokeApiKey(projectId, key.id);
    expect(await authenticateApiKey(secret, "read")).toEqual({ ok: false, reason: "revoked" });
    const response = await readApi(secret);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthorized", message: "This API key was revoked" },
    });
  });

  it("do not let an ingest key call the read API", async () => {
    const { projectId } = await createOrgWithProject();
    const { secret } = await createApiKey({ projectId, name: "agent", scope: "ingest" });
    expect(await authenticateApiKey(secret, "ingest")).toMatchObject({ ok: true });

    const response = await readApi(secret);
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toMatch(/needs a read or admin key/);
  });

  it("answer the read API with the key's own project for read and admin keys", async () => {
    const { projectId } = await createOrgWithProject();
    for (const scope of ["read", "admin"] as const) {
      const { secret } = await createApiKey({ projectId, name: scope, scope });
      const response = await readApi(secret);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ id: projectId, keyScope: scope });
    }
  });

  it("reject missing and unknown keys with 401", async () => {
    expect((await readApi()).status).toBe(401);
    expect((await readApi("vgl_rk_00000000000000000000000000000000")).status).toBe(401);
  });

  it("record when a key was last used", async () => {
    const { projectId } = await createOrgWithProject();
    const { secret, key } = await createApiKey({ projectId, name: "used", scope: "read" });
    expect(key.lastUsedAt).toBeNull();
    await authenticateApiKey(secret, "read");
    const stored = await db().prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.lastUsedAt).toBeInstanceOf(Date);
  });
});
