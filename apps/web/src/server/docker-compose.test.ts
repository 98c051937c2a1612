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
    expect(config.services.redis?.profiles).toEqual(["redis", "cluster"]);
    expect(config.services.postgres?.profiles).toBeUndefined();
    expect(config.services.vigil?.profiles).toBeUndefined();
    expect(Object.keys(config.services.vigil?.depends_on ?? {})).toEqual(["postgres"]);
  });

  it("starts the cluster arrangement under the cluster profile: HAProxy, 3 replicas, a read replica, 2 shards, Redis", async () => {
    const envFile = fileURLToPath(
      new URL("../../../../deploy/compose/cluster.env", import.meta.url),
    );
    const { stdout } = await run("docker-compose", [
      "-f",
      composeFile,
      "--env-file",
      envFile,
      "--profile",
      "cluster",
      "config",
    ]);
    const config = parse(stdout) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    expect(Object.keys(config.services).sort()).toEqual(
      [
        "haproxy",
        "postgres",
        "postgres-replica",
        "postgres-shard-1",
        "postgres-shard-2",
        "redis",
        "vigil",
        "vigil-2",
        "vigil-3",
      ].sort(),
    );
    for (const replica of ["vigil", "vigil-2", "vigil-3"]) {
      const env = config.services[replica]?.environment ?? {};
      expect(env.VIGIL_SHARDS?.split(",")).toEqual([
        "postgresql://vigil:vigil@postgres-shard-1:5432/vigil",
        "postgresql://vigil:vigil@postgres-shard-2:5432/vigil",
      ]);
      expect(env.DATABASE_READ_URL).toBe("postgresql://vigil:vigil@postgres-replica:5432/vigil");
      expect(env.REDIS_URL).toBe("redis://redis:6379");
    }
    expect(config.services.haproxy?.environment).toMatchObject({
      VIGIL_REPLICA_1: "vigil:3000",
      VIGIL_REPLICA_2: "vigil-2:3000",
      VIGIL_REPLICA_3: "vigil-3:3000",
    });
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
