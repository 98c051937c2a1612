import { db, withAdvisoryLock } from "@vigil/db";
import type { Env } from "../env.ts";
import { createPasswordUser, findUserByEmail, generateInitialPassword } from "./accounts/users.ts";
import { createApiKey, registerKnownKey } from "./keys/api-keys.ts";
import { ensureDefaultProject } from "./tenancy/projects.ts";

type BootstrapEnv = Pick<
  Env,
  | "VIGIL_INIT_INGEST_KEY"
  | "VIGIL_INIT_API_KEY"
  | "VIGIL_INIT_ADMIN_EMAIL"
  | "VIGIL_INIT_ADMIN_PASSWORD"
>;

export type BootstrapReport = {
  projectId: string;
  /** Set only when this start created them: credentials to show the operator once. */
  generatedAdmin?: { email: string; password: string };
  generatedIngestKey?: string;
  /** What the VIGIL_INIT_* variables did (never the secrets themselves). */
  notes: string[];
};

const GENERATED_ADMIN_EMAIL = "admin@vigil.local";

/**
 * Headless set-up, run at every start: the default organisation and project, the keys and the
 * admin named by VIGIL_INIT_*. Idempotent, and serialised across replicas by an advisory lock.
 * On a first start without VIGIL_INIT_* it creates an admin and an ingest key and returns them.
 */
export function bootstrap(env: BootstrapEnv): Promise<BootstrapReport> {
  return withAdvisoryLock("bootstrap", () => bootstrapLocked(env));
}

async function bootstrapLocked(env: BootstrapEnv): Promise<BootstrapReport> {
  const { organizationId, projectId } = await ensureDefaultProject();
  const report: BootstrapReport = { projectId, notes: [] };

  const initKeys = [
    { variable: "VIGIL_INIT_INGEST_KEY", scope: "ingest", secret: env.VIGIL_INIT_INGEST_KEY },
    { variable: "VIGIL_INIT_API_KEY", scope: "admin", secret: env.VIGIL_INIT_API_KEY },
  ] as const;
  for (const { variable, scope, secret } of initKeys) {
    if (!secret) continue;
    const result = await registerKnownKey({ projectId, name: variable, scope, secret });
    report.notes.push(keyNote(variable, result));
  }

  if (env.VIGIL_INIT_ADMIN_EMAIL && env.VIGIL_INIT_ADMIN_PASSWORD) {
    const existing = await findUserByEmail(env.VIGIL_INIT_ADMIN_EMAIL);
    const user =
      existing ??
      (await createPasswordUser({
        email: env.VIGIL_INIT_ADMIN_EMAIL,
        name: "Admin",
        password: env.VIGIL_INIT_ADMIN_PASSWORD,
      }));
    await ensureAdminMembership(organizationId, user.id);
    report.notes.push(
      existing
        ? `VIGIL_INIT_ADMIN_EMAIL: ${user.email} exists; its password was left unchanged`
        : `VIGIL_INIT_ADMIN_EMAIL: created admin ${user.email}`,
    );
  } else if ((await db().prisma.user.count()) === 0) {
    const password = generateInitialPassword();
    const user = await createPasswordUser({
      email: GENERATED_ADMIN_EMAIL,
      name: "Admin",
      password,
    });
    await ensureAdminMembership(organizationId, user.id);
    report.generatedAdmin = { email: user.email, password };
  }

  const keyCount = await db().prisma.apiKey.count({ where: { projectId, scope: "ingest" } });
  if (keyCount === 0) {
    const { secret } = await createApiKey({
      projectId,
      name: "Generated at first start",
      scope: "ingest",
    });
    report.generatedIngestKey = secret;
  }
  return report;
}

async function ensureAdminMembership(organizationId: string, userId: string): Promise<void> {
  await db().prisma.membership.upsert({
    where: { organizationId_userId: { organizationId, userId } },
    update: {},
    create: { organizationId, userId, role: "admin" },
  });
}

function keyNote(variable: string, result: { created: boolean; revoked: boolean }): string {
  if (result.created) return `${variable}: registered`;
  return result.revoked
    ? `${variable}: already registered, and revoked — it stays revoked`
    : `${variable}: already registered`;
}
