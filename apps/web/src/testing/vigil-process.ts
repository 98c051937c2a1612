import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "@vigil/db/embedded";
import { TEST_AUTH_SECRET } from "./alerting.ts";

// The whole control plane as `npm start` runs it (Next.js from the build turbo makes before the
// tests), as a child process a test can stop, kill and start again.

const main = fileURLToPath(new URL("../server/main.ts", import.meta.url));

export type VigilProcess = { child: ChildProcess; lines: string[]; exited: Promise<number | null> };

const started: ChildProcess[] = [];

/** Stops every process started here that is still running (for afterEach). */
export async function stopStartedVigils(): Promise<void> {
  await Promise.all(
    started.splice(0).map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once("exit", () => resolve());
          child.kill("SIGTERM");
        }),
    ),
  );
}

/**
 * Starts Vigil on the port with only these variables (the caller passes PATH; nothing else is
 * inherited) and resolves once it logs that it is ready.
 */
export function startVigil(
  port: number,
  env: { PATH: string } & Record<string, string>,
): Promise<VigilProcess> {
  const child = spawn(process.execPath, [main], {
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      LOG_FORMAT: "json",
      PORT: String(port),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  started.push(child);
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      lines.push(...chunk.toString("utf8").split("\n"));
      if (lines.some((line) => line.includes('"msg":"Vigil is ready"')))
        resolve({ child, lines, exited });
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    void exited.then((code) =>
      reject(new Error(`Vigil exited (${code}) before it was ready:\n${lines.join("\n")}`)),
    );
    // A start that hangs says where: its log so far.
    setTimeout(
      () => reject(new Error(`Vigil not ready after 60 s:\n${lines.join("\n")}`)),
      60_000,
    ).unref();
  });
}

/**
 * The whole control plane over a test file's database on a free port, served at its own URL
 * (`base`), so browsers' origin checks and sign-in work as they do for users. The caller passes
 * PATH, as to startVigil.
 */
export async function startTestVigil(
  databaseUrl: string,
  path: string,
): Promise<VigilProcess & { base: string }> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const vigil = await startVigil(port, {
    PATH: path,
    DATABASE_URL: databaseUrl,
    VIGIL_AUTH_SECRET: TEST_AUTH_SECRET,
    VIGIL_PUBLIC_URL: base,
  });
  return { ...vigil, base };
}
