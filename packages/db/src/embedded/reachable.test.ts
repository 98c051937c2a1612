import { chmod, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { unreachableFolder } from "./reachable.ts";

describe("unreachableFolder", () => {
  const made: string[] = [];
  afterAll(() => Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true }))));

  it("names the first folder other users cannot enter, and nothing when all are open", async () => {
    const top = await mkdtemp(join(tmpdir(), "vigil-reach-"));
    made.push(top);
    const inner = join(top, "a", "b");
    await mkdir(inner, { recursive: true });
    await chmod(top, 0o755);
    await chmod(join(top, "a"), 0o755);
    await chmod(inner, 0o755);
    expect(unreachableFolder(inner)).toBeNull();
    await chmod(join(top, "a"), 0o700);
    expect(unreachableFolder(join(inner, "data"))).toBe(join(top, "a"));
  });
});
