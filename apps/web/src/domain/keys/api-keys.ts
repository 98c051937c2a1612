import { db, isUniqueViolation, type KeyScope } from "@vigil/db";
import { redis } from "../../lib/redis.ts";
import { DomainError } from "../errors.ts";
import { keyCache, type StoredKey } from "./key-cache.ts";
import { displayPrefix, generateKey, hashKey } from "./key-material.ts";

export type ApiKeyView = {
  id: string;
  name: string;
  scope: KeyScope;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  createdBy: string | null;
};

const viewSelect = {
  id: true,
  name: true,
  scope: true,
  prefix: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
  createdBy: { select: { email: true } },
} as const;

type Row = Omit<ApiKeyView, "createdBy"> & { createdBy: { email: string } | null };
const toView = (row: Row): ApiKeyView => ({ ...row, createdBy: row.createdBy?.email ?? null });

export async function listApiKeys(projectId: string): Promise<ApiKeyView[]> {
  const rows = await db().prisma.apiKey.findMany({
    where: { projectId },
    select: viewSelect,
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { createdAt: "desc" }],
  });
  return rows.map(toView);
}

/** Creates a key; the secret is in the result once and is never stored or shown again. */
export async function createApiKey(input: {
  projectId: string;
  name: string;
  scope: KeyScope;
  createdByUserId?: string;
}): Promise<{ key: ApiKeyView; secret: string }> {
  const secret = generateKey(input.scope);
  const row = await db().prisma.apiKey.create({
    data: {
      projectId: input.projectId,
      name: input.name,
      scope: input.scope,
      prefix: displayPrefix(secret),
      hash: hashKey(secret),
      createdByUserId: input.createdByUserId ?? null,
    },
    select: viewSelect,
  });
  return { key: toView(row), secret };
}

/**
 * Registers a key whose secret the operator chose (the VIGIL_INIT_* variables). Idempotent: a
 * key with the same secret is left as it is, even when revoked, so a restart never revives it.
 */
export async function registerKnownKey(input: {
  projectId: string;
  name: string;
  scope: KeyScope;
  secret: string;
}): Promise<{ created: boolean; revoked: boolean }> {
  const hash = hashKey(input.secret);
  const existing = await db().prisma.apiKey.findUnique({ where: { hash } });
  if (existing) {
    if (existing.projectId !== input.projectId || existing.scope !== input.scope) {
      throw new DomainError(
        "CONFLICT",
        `${input.name}: this key already exists with another project or scope; choose another key`,
      );
    }
    return { created: false, revoked: existing.revokedAt !== null };
  }
  const created = await db()
    .prisma.apiKey.create({
      data: {
        projectId: input.projectId,
        name: input.name,
        scope: input.scope,
        prefix: displayPrefix(input.secret),
        hash,
      },
    })
    .then(() => true)
    .catch((error: unknown) => {
      // Another replica registered it between our read and our write: that is the same outcome.
      if (isUniqueViolation(error)) return false;
      throw error;
    });
  return { created, revoked: false };
}

/** Revokes a key of this project; a key of another project is reported as not found. */
export async function revokeApiKey(projectId: string, keyId: string): Promise<ApiKeyView> {
  const result = await db().prisma.apiKey.updateMany({
    where: { id: keyId, projectId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  const row = await db().prisma.apiKey.findFirst({
    where: { id: keyId, projectId },
    select: viewSelect,
  });
  if (!row) throw new DomainError("NOT_FOUND", "No such API key in this project");
  if (result.count === 0 && !row.revokedAt)
    throw new DomainError("CONFLICT", "The key changed meanwhile; retry");
  // Every replica refuses it from now on, not once a cached lookup expires.
  const revoked = await db().prisma.apiKey.findUnique({
    where: { id: keyId },
    select: { hash: true },
  });
  const key = await storedKey({ id: keyId });
  if (revoked && key) await keyCache(redis()).revoke(revoked.hash, key);
  return toView(row);
}

export type KeyUse = "ingest" | "read" | "admin";

/** Which key scopes may do what: ingest keys only write, read and admin keys only use the API. */
const allowed: Record<KeyUse, readonly KeyScope[]> = {
  ingest: ["ingest"],
  read: ["read", "admin"],
  admin: ["admin"],
};

export type KeyPrincipal = { keyId: string; projectId: string; scope: KeyScope };

export type KeyCheck =
  | { ok: true; principal: KeyPrincipal }
  | { ok: false; reason: "missing" | "unknown" | "revoked" | "wrong-scope" };

/** Checks a presented key for a use. Records when the key was last used (at most once a minute). */
export async function authenticateApiKey(
  presented: string | undefined,
  use: KeyUse,
): Promise<KeyCheck> {
  if (!presented) return { ok: false, reason: "missing" };
  const cache = keyCache(redis());
  const key = await cache.lookup(hashKey(presented), () => storedKey({ hash: hashKey(presented) }));
  if (!key) return { ok: false, reason: "unknown" };
  if (key.revoked) return { ok: false, reason: "revoked" };
  if (!allowed[use].includes(key.scope)) return { ok: false, reason: "wrong-scope" };
  const now = Date.now();
  const record =
    (await cache.firstUseThisMinute(key.id)) ?? (!key.lastUsedAt || now - key.lastUsedAt > 60_000);
  if (record) {
    await db().prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date(now) } });
  }
  return { ok: true, principal: { keyId: key.id, projectId: key.projectId, scope: key.scope } };
}

async function storedKey(where: { hash: string } | { id: string }): Promise<StoredKey | null> {
  const row = await db().prisma.apiKey.findUnique({
    where,
    select: { id: true, projectId: true, scope: true, revokedAt: true, lastUsedAt: true },
  });
  return row
    ? {
        id: row.id,
        projectId: row.projectId,
        scope: row.scope,
        revoked: row.revokedAt !== null,
        lastUsedAt: row.lastUsedAt?.getTime() ?? null,
      }
    : null;
}
