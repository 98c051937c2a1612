import { execFileSync } from "node:child_process";
import { accessSync, constants, existsSync, statSync } from "node:fs";
import { cp, mkdir, rename, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, dirname, join, parse } from "node:path";

/**
 * The first folder on the way to `path` that another user cannot enter (no o+x), or null. As
 * root, PostgreSQL runs as the `postgres` user, which needs to pass through every one of them.
 */
export function unreachableFolder(path: string): string | null {
  const { root } = parse(path);
  let folder = existsSync(path) && statSync(path).isDirectory() ? path : dirname(path);
  const chain: string[] = [];
  while (folder !== root) {
    chain.unshift(folder);
    folder = dirname(folder);
  }
  for (const each of chain) {
    if (!existsSync(each)) return null;
    if ((statSync(each).mode & 0o001) === 0) return each;
  }
  return null;
}

/**
 * The PostgreSQL binaries where the `postgres` user can run them: where npm put them, or, when
 * that folder is closed to other users (a checkout under /root or in a `mktemp -d` folder), a
 * copy in the system's temporary folder, made once per PostgreSQL build.
 */
export async function reachableBinaries(binaries: {
  postgres: string;
  initdb: string;
}): Promise<{ postgres: string; initdb: string }> {
  const native = dirname(dirname(binaries.postgres)); // …/native/bin/postgres → …/native
  if (unreachableFolder(native) === null) return binaries;
  const version = execFileSync(binaries.postgres, ["--version"], { encoding: "utf8" })
    .trim()
    .replace(/[^\w.]+/g, "-");
  const copy = join(tmpdir(), `vigil-postgres-${version}`);
  if (!existsSync(join(copy, "bin", basename(binaries.postgres)))) {
    const partial = `${copy}.${process.pid}.partial`;
    await mkdir(partial, { recursive: true, mode: 0o755 });
    await cp(native, partial, { recursive: true, verbatimSymlinks: true });
    // Another process may have finished the same copy meanwhile: either copy will do.
    await rename(partial, copy).catch(() => rm(partial, { recursive: true, force: true }));
  }
  accessSync(join(copy, "bin", basename(binaries.postgres)), constants.X_OK);
  return {
    postgres: join(copy, "bin", basename(binaries.postgres)),
    initdb: join(copy, "bin", basename(binaries.initdb)),
  };
}
