import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const run = promisify(execFile);
const composeFile = fileURLToPath(new URL("../../../../docker-compose.yml", import.meta.url));
const hasDockerCompose = await run("docker-compose", ["version"]).then(
  () => true,
  () => false,
);
if (!hasDockerCompose)
  process.stdout.write("docker-compose.test: skipped: docker-compose is not installed\n");

describe.skipIf(!hasDockerCompose)("docker-compose.yml", () => {
  it("is accepted by docker-compose config", async () => {
    const { stdout } = await run("docker-compose", ["-f", composeFile, "config"]);
    expect(stdout).toContain("vigil:");
  });

  it("runs without Redis by default and with it under the redis profile", async () => {
    const { stdout } = await run("docker-compose", ["-f", composeFile, "config"]);
    const config = parse(stdout) as {
      services: Record<string, { profiles?: string[]; depends_on?: Record<string, unknown> }>;
    };
    expect(config.services.redis?.profiles).toEqual(["redis"]);
    expect(config.services.postgres?.profiles).toBeUndefined();
    expect(config.services.vigil?.profiles).toBeUndefined();
    expect(Object.keys(config.services.vigil?.depends_on ?? {})).toEqual(["postgres"]);
  });

  it("sets every bootstrap variable and points the control plane at its PostgreSQL and Redis", async () => {
    const text = await readFile(composeFile, "utf8");
    for (const name of [
      "DATABASE_URL",
      "REDIS_URL",
      "VIGIL_INIT_INGEST_KEY",
      "VIGIL_INIT_API_KEY",
      "VIGIL_INIT_ADMIN_EMAIL",
      "VIGIL_INIT_ADMIN_PASSWORD",
    ]) {
      expect(text).toContain(`${name}:`);
    }
    expect(text).toContain("postgresql://vigil:vigil@postgres:5432/vigil");
  });
});
