import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** The variables the db CLI reads (the control plane has its own schema in apps/web). */
export function cliEnv(): { DATABASE_URL?: string; VIGIL_DATA_DIR: string } {
  const url = process.env.DATABASE_URL?.trim();
  if (url && !/^postgres(ql)?:\/\//.test(url)) {
    throw new Error("DATABASE_URL must be a postgresql:// URL");
  }
  return {
    DATABASE_URL: url || undefined,
    VIGIL_DATA_DIR: process.env.VIGIL_DATA_DIR || `${repoRoot}.vigil`,
  };
}
