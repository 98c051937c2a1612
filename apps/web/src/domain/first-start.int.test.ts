import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { verifyPassword } from "better-auth/crypto";
import { describe, expect, it } from "vitest";
import { bootstrap } from "./bootstrap.ts";
import { authenticateApiKey } from "./keys/api-keys.ts";

setupTestDatabase();

describe("a first start without VIGIL_INIT_*", () => {
  it("creates an admin and an ingest key once, and reports them to print", async () => {
    const first = await bootstrap({});
    expect(first.generatedAdmin?.email).toBe("admin@vigil.local");
    expect(first.generatedIngestKey).toMatch(/^vgl_ik_[A-Za-z0-9]{32}$/);

    const account = await db().prisma.account.findFirstOrThrow({
      where: { user: { email: "admin@vigil.local" } },
    });
    expect(
      await verifyPassword({
        hash: account.password ?? "",
        password: first.generatedAdmin?.password ?? "",
      }),
    ).toBe(true);
    expect(await authenticateApiKey(first.generatedIngestKey, "ingest")).toMatchObject({
      ok: true,
    });

    const second = await bootstrap({});
    expect(second.generatedAdmin).toBeUndefined();
    expect(second.generatedIngestKey).toBeUndefined();
    expect(await db().prisma.user.count()).toBe(1);
    expect(await db().prisma.apiKey.count()).toBe(1);
  });
});
