import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env.PATH, NODE_ENV: "production", ...env },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

describe("starting the control plane with a malformed bootstrap variable", () => {
  it.each([
    [
      { VIGIL_INIT_INGEST_KEY: "too-short" },
      "VIGIL_INIT_INGEST_KEY: must be at least 24 characters",
    ],
    [
      { VIGIL_INIT_API_KEY: "bad key with spaces 0123456789" },
      "VIGIL_INIT_API_KEY: use only letters",
    ],
    [
      { VIGIL_INIT_ADMIN_EMAIL: "nobody", VIGIL_INIT_ADMIN_PASSWORD: "long-enough-pw" },
      "VIGIL_INIT_ADMIN_EMAIL: must be an email address",
    ],
  ])("stops before touching any database and names the variable (%j)", async (env, message) => {
    // An unreachable DATABASE_URL: if the process got as far as connecting, it would fail differently.
    const result = await start({ ...env, DATABASE_URL: "postgresql://nobody@127.0.0.1:1/none" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
    expect(result.stderr).not.toContain("ECONNREFUSED");
  });
});
