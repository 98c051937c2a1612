import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/**
 * A secret kept in a file of the data folder (mode 600): read when it is there, else generated
 * and written once. When two processes race, both end up with whatever is on disk.
 */
export async function storedSecret(
  file: string,
  generate: () => string,
): Promise<{ secret: string; generated: boolean }> {
  const stored = await readFile(file, "utf8").catch(() => undefined);
  if (stored?.trim()) return { secret: stored.trim(), generated: false };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `${generate()}\n`, { mode: 0o600, flag: "wx" }).catch(
    async (error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    },
  );
  return { secret: (await readFile(file, "utf8")).trim(), generated: true };
}
