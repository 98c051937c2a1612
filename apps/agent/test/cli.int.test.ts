import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { cacheHitRates } from "@vigil/db/telemetry";
import { setupIngest } from "@vigil/web/testing";
import { afterAll, describe, expect, it } from "vitest";
import { healthOf, ns, pool } from "./control-plane.ts";
import { eventually } from "./helpers.ts";
import { startRedisServer } from "./redis-server.ts";

const plane = setupIngest();
const redis = await startRedisServer("cli.int.test.ts");
afterAll(() => redis?.stop());
const cli = fileURLToPath(new URL("../src/cli/main.ts", import.meta.url));

describe.skipIf(!redis)("npx @vigil/agent probe", () => {
  it("registers the service beside it and reports its Redis until stopped", async () => {
    const started = Date.now();
    const sidecar = spawn(
      process.execPath,
      [
        cli,
        "probe",
        "--service",
        "billing-go",
        "--port",
        "8080",
        "--tags",
        "go,sidecar",
        "--redis",
        `cache=${redis?.url}`,
        "--endpoint",
        plane.url,
        "--key",
        plane.ingestKey,
        "--interval",
        "300",
      ],
      { stdio: ["ignore", "ignore", "pipe"], env: { PATH: process.env.PATH } },
    );
    const exited = once(sidecar, "exit");
    const [entry] = await eventually(async () => {
      const entries = await healthOf(plane, "billing-go");
      return entries.length === 1 ? entries : undefined;
    }, "the sidecar's registration");
    expect(entry?.Service.Port).toBe(8080);
    expect(entry?.Checks[0]?.Status).toBe("passing");
    await eventually(async () => {
      const rates = await cacheHitRates(pool(), plane.projectId, {
        fromNs: ns(started),
        toNs: ns(Date.now() + 1000),
      });
      return rates.find((rate) => rate.services.includes("billing-go") && rate.cache === "cache");
    }, "Redis metrics from the sidecar");

    sidecar.kill("SIGTERM");
    expect((await exited)[0]).toBe(0);
    expect(await healthOf(plane, "billing-go")).toEqual([]);
  });

  it("explains what is missing instead of starting", async () => {
    const run = spawn(process.execPath, [cli, "probe", "--service", "x"], {
      stdio: ["ignore", "ignore", "pipe"],
      env: { PATH: process.env.PATH },
    });
    let stderr = "";
    run.stderr?.on("data", (chunk) => {
      stderr += chunk;
    });
    const [code] = await once(run, "exit");
    expect(code).toBe(2);
    expect(stderr).toMatch(/nothing to probe: give --redis, --postgres-\*, or --shard/);
    expect(stderr).toMatch(/Usage: vigil-agent probe/);
  });
});
