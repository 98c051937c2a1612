import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

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
