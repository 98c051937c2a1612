import { type ChildProcess, spawn } from "node:child_process";
import { env as appEnv } from "../env.ts";

// A server binary from the machine (redis-server, haproxy) as a child of this process, stopped
// with it; what it printed is kept for the error when it will not start.

export type ChildServer = { child: ChildProcess; output: string[]; stop(): Promise<void> };

/** Starts `command` and resolves once `ready` (polled every 100 ms, up to 20 s) holds. */
export async function startChildServer(
  command: string,
  args: string[],
  ready: () => Promise<boolean>,
  env: Record<string, string> = {},
): Promise<ChildServer> {
  const child = spawn(command, args, {
    env: { NODE_ENV: "production", PATH: appEnv().PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => output.push(...chunk.toString("utf8").split("\n"));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
  };
  const deadline = Date.now() + 20_000;
  let failed: string | undefined;
  child.once("error", (error) => {
    failed = error.message;
  });
  for (;;) {
    if (failed || child.exitCode !== null)
      throw new Error(`${command} did not start: ${failed ?? output.join("\n")}`);
    if (await ready().catch(() => false)) return { child, output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${command} not ready after 20 s:\n${output.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
