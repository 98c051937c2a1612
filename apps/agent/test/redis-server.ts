import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { freePort } from "@vigil/db/embedded";

/**
 * A private Redis server for one test file, so its INFO counters see only what the test does.
 * Null (with the reason printed) when `redis-server` is not installed.
 */
export async function startRedisServer(
  file: string,
): Promise<{ url: string; stop(): Promise<void> } | null> {
  if (spawnSync("redis-server", ["--version"]).status !== 0) {
    process.stdout.write(`${file}: Redis tests skipped: redis-server is not installed\n`);
    return null;
  }
  const port = await freePort();
  const child = spawn(
    "redis-server",
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      if (output.includes("Ready to accept connections")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`redis-server exited (${code}):\n${output}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}
