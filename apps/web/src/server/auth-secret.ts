import { randomBytes } from "node:crypto";
import { storedSecret } from "../lib/stored-secret.ts";

/**
 * The session-signing secret: VIGIL_AUTH_SECRET, or one generated once and kept in the data
 * folder. It is deliberately not kept in the database, so a database dump cannot forge sessions.
 */
export async function resolveAuthSecret(
  fromEnv: string | undefined,
  file: string,
): Promise<{ secret: string; generated: boolean }> {
  if (fromEnv) return { secret: fromEnv, generated: false };
  return storedSecret(file, () => randomBytes(32).toString("base64url"));
}
