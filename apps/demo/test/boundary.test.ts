import { readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The demo is Vigil's first customer: its code may use only @vigil/agent's public entry points,
// Node's own modules and its declared npm dependencies — nothing else from this repository.

const root = fileURLToPath(new URL("..", import.meta.url));
const manifest = JSON.parse(await readFile(join(root, "package.json"), "utf8")) as {
  dependencies?: Record<string, string>;
};
const allowedPackages = new Set(Object.keys(manifest.dependencies ?? {}));
const allowedVigil = new Set(["@vigil/agent", "@vigil/agent/register"]);

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return sources(path);
      return /\.(ts|tsx|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
    }),
  );
  return nested.flat();
}

const SPECIFIER =
  /(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

/** What is wrong with one import of a demo file, or null. */
function importProblem(file: string, specifier: string): string | null {
  if (specifier.startsWith("node:")) return null;
  if (specifier.startsWith(".")) {
    const target = join(file, "..", specifier);
    return relative(join(root, "src"), target).startsWith("..")
      ? `${specifier} leaves apps/demo/src`
      : null;
  }
  if (specifier.startsWith("@vigil/"))
    return allowedVigil.has(specifier)
      ? null
      : `${specifier} is not a public API (only @vigil/agent is)`;
  const name = specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : (specifier.split("/")[0] as string);
  return allowedPackages.has(name)
    ? null
    : `${specifier} is not a dependency in apps/demo/package.json`;
}

describe("the demo's imports", () => {
  it("use only @vigil/agent, node: modules and declared dependencies", async () => {
    const problems: string[] = [];
    for (const file of await sources(join(root, "src"))) {
      const text = await readFile(file, "utf8");
      for (const match of text.matchAll(SPECIFIER)) {
        const specifier = (match[1] ?? match[2]) as string;
        const problem = importProblem(file, specifier);
        if (problem) problems.push(`${relative(root, file)}: ${problem}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it("would catch a reach into the control plane or the agent's internals", () => {
    const file = join(root, "src/platform/x.ts");
    expect(importProblem(file, "@vigil/web/testing")).toContain("not a public API");
    expect(importProblem(file, "@vigil/agent/src/agent.ts")).toContain("not a public API");
    expect(importProblem(file, "../../../web/src/env.ts")).toContain("leaves apps/demo/src");
    expect(importProblem(file, "left-pad")).toContain("not a dependency");
    expect(importProblem(file, "./lru.ts")).toBeNull();
  });
});
