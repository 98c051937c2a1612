import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { chmod, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

// `npm start` from the repository's root, exactly as the README's quick start runs it, in a
// process group of its own so a test can press Ctrl-C (SIGINT to the group) as a terminal does.

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));

export type Product = {
  child: ChildProcess;
  startedAt: number;
  /** Resolves with the first output line that matches. */
  line(match: RegExp): Promise<string>;
  exited: Promise<number | null>;
};

export async function npmStart(port: number, env: Record<string, string>): Promise<Product> {
  const dataDir = await mkdtemp(join(tmpdir(), "vigil-demo-e2e-"));
  await chmod(dataDir, 0o755); // as root, the embedded servers run as the `postgres` user
  const { DATABASE_URL: _db, REDIS_URL: _redis, VIGIL_DEMO: _demo, ...inherited } = process.env;
  const child = spawn("npm", ["start"], {
    cwd: repoRoot,
    detached: true,
    env: { ...inherited, PORT: String(port), VIGIL_DATA_DIR: dataDir, LOG_FORMAT: "json", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const lines: string[] = [];
  const waiting: { match: RegExp; resolve: (line: string) => void }[] = [];
  const take = (chunk: Buffer) => {
    for (const text of chunk.toString("utf8").split("\n")) {
      lines.push(text);
      for (const waiter of waiting.filter((w) => w.match.test(text))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve(text);
      }
    }
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));
  return {
    child,
    startedAt: Date.now(),
    exited,
    line: (match) =>
      new Promise((resolve, reject) => {
        const seen = lines.find((text) => match.test(text));
        if (seen) return resolve(seen);
        waiting.push({ match, resolve });
        void exited.then((code) =>
          reject(new Error(`npm start exited (${code}):\n${lines.slice(-40).join("\n")}`)),
        );
      }),
  };
}

/** Every process descended from `pid`, read from /proc (Linux). */
export function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // The process ended while the list was read.
    }
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const child of parents.get(parent) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The command line of a running process, or null when it is gone (or a zombie). */
export function commandLine(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    if (stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z")) return null;
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
  } catch {
    return null;
  }
}
