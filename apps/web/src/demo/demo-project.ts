import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { db } from "@vigil/db";
import { registerKnownKey } from "../domain/keys/api-keys.ts";
import { generateKey } from "../domain/keys/key-material.ts";
import { ensureDefaultProject } from "../domain/tenancy/projects.ts";
import { storedSecret } from "../lib/stored-secret.ts";

export const DEMO_PROJECT_SLUG = "demo";

/**
 * The demo's own project in the default organisation, with an ingest key for the fleet and the
 * signing secret of its alert receiver. Both secrets live in the data folder (like the session
 * secret), so a restart reuses them; the database keeps only the key's hash.
 */
export async function ensureDemoProject(dataDir: string) {
  const { organizationId } = await ensureDefaultProject();
  const project = await db().prisma.project.upsert({
    where: { organizationId_slug: { organizationId, slug: DEMO_PROJECT_SLUG } },
    update: {},
    create: { organizationId, name: "Demo shop", slug: DEMO_PROJECT_SLUG },
  });
  const { secret: ingestKey } = await storedSecret(join(dataDir, "demo", "ingest-key"), () =>
    generateKey("ingest"),
  );
  await registerKnownKey({
    projectId: project.id,
    name: "demo fleet",
    scope: "ingest",
    secret: ingestKey,
  });
  const { secret: webhookSecret } = await storedSecret(
    join(dataDir, "demo", "webhook-secret"),
    () => `whsec_${randomBytes(24).toString("base64")}`,
  );
  return { projectId: project.id, ingestKey, webhookSecret };
}
