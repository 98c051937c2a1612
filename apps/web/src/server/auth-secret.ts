import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * The session-signing secret: VIGIL_AUTH_SECRET, or one generated once and kept in the data
 * folder. It is deliberately not kept in the database, so a database dump cannot forge sessions.
 */
export async function resolveAuthSecret(
  fromEnv: string | undefined,
  file: string,
): Promise<{ secret: string; generated: boolean }> {
  if (fromEnv) return { secret: fromEnv, generated: false };
  const stored = await readFile(file, "utf8").catch(() => undefined);
  if (stored?.trim()) return { secret: stored.trim(), generated: false };
  const secret = randomBytes(32).toString("base64url");
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${secret}\n`, { mode: 0o600, flag: "wx" }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    },
  );
  // Another process may have won the race to create it: use whatever is on disk.
  return { secret: (await readFile(file, "utf8")).trim(), generated: true };
}
