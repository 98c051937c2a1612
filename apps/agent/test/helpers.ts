import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const register = fileURLToPath(new URL("../src/register.ts", import.meta.url));
const fixture = fileURLToPath(new URL("./fixtures/service.ts", import.meta.url));

export type RunningService = {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (warnings land here). */
  stderr(): string;
  /** Sends a signal and resolves with the exit code once the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
};

/**
 * Starts the fixture service (or another script) with the agent loaded by `--import`, or
 * without it for a script that starts the agent itself.
 */
export async function startService(
  env: Record<string, string>,
  script = fixture,
  agent: "import" | "in-script" = "import",
): Promise<RunningService> {
  const args = agent === "import" ? ["--import", register, script] : [script];
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await Promise.race([
    (async () => {
      for await (const line of lines) {
        if (line.startsWith("{")) return (JSON.parse(line) as { port: number }).port;
      }
      throw new Error("the service closed its output without printing its port");
    })(),
    exited.then((code) => {
      throw new Error(`the service exited (${code}) before listening:\n${stderr}`);
    }),
  ]);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    stderr: () => stderr,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Polls `check` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}
