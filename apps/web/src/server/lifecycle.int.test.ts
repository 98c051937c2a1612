import { chmod, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, isAlive } from "@vigil/db/embedded";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startVigil as startAt, stopStartedVigils } from "../testing/vigil-process.ts";

// The whole process, as `npm start` runs it: embedded PostgreSQL, migrations, bootstrap, Next.js
// (from the build that turbo runs before these tests), and a graceful stop.

// A failed assertion must not leave a server (and its database) running: stop whatever is left.
afterEach(stopStartedVigils);

const startVigil = (dataDir: string, port: number) =>
  startAt(port, { PATH: process.env.PATH ?? "", VIGIL_DATA_DIR: dataDir, VIGIL_DEMO: "0" });

describe("the control plane process", () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "vigil-lifecycle-"));
    await chmod(dataDir, 0o755); // as root, the embedded server runs as the `postgres` user
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  // Two full starts (initdb, migrations, Next.js) and stops: slow on a busy 2-core CI machine.
  it("starts on its own PostgreSQL, stops it on SIGTERM, and keeps its data for the next start", {
    timeout: 150_000,
  }, async () => {
    const port = await freePort();
    const first = await startVigil(dataDir, port);
    expect(first.lines.join("\n")).toContain("admin@vigil.local"); // the first-run banner
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    // Sign-in attempts are limited per client address, which a forged X-Forwarded-For cannot change.
    const attempts: number[] = [];
    for (let i = 0; i < 11; i++) {
      const response = await fetch(`http://127.0.0.1:${port}/api/auth/sign-in/email`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          origin: `http://127.0.0.1:${port}`,
          "x-forwarded-for": `203.0.113.${i}`,
        },
        body: JSON.stringify({ email: "admin@vigil.local", password: "wrong-password" }),
      });
      attempts.push(response.status);
    }
    expect(attempts.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(attempts[10]).toBe(429);

    const pid = Number(
      (await readFile(join(dataDir, "pgdata", "postmaster.pid"), "utf8")).split("\n")[0],
    );
    expect(isAlive(pid)).toBe(true);

    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    expect(first.lines.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
    expect(isAlive(pid)).toBe(false);

    const second = await startVigil(dataDir, port);
    // The admin and key of the first start are still there, so nothing new is generated or shown.
    expect(second.lines.join("\n")).not.toContain("admin@vigil.local");
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  });
});
