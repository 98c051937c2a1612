import { execFileSync } from "node:child_process";
import { appendFile, chmod, mkdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EmbeddedPostgresHandle, startEmbeddedPostgres } from "./launcher.ts";

export type ReplicatedPair = {
  primary: EmbeddedPostgresHandle;
  replica: EmbeddedPostgresHandle;
  /** The replica's `application_name`, as the primary's pg_stat_replication shows it. */
  replicaName: string;
  stop(): Promise<void>;
};

/**
 * A PostgreSQL primary with one streaming replica, from the embedded binaries alone (they ship
 * no pg_basebackup): the primary is initialised and cleanly stopped, its files copied, and the
 * copy started as a standby of the restarted primary. Throwaway: stop() deletes both.
 */
export async function startReplicatedPair(
  dir: string,
  replicaName = "replica-1",
  options: { durableCommits?: boolean } = {},
): Promise<ReplicatedPair> {
  // As root the servers run as the `postgres` user, which must be able to enter the folder.
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  const primaryDir = join(dir, "primary");
  const replicaDir = join(dir, "replica");
  const first = await startEmbeddedPostgres({ dataDir: primaryDir, persistent: true });
  await first.stop();
  // cp -a keeps the files' owner (the `postgres` user when running as root) and modes.
  execFileSync("cp", ["-a", primaryDir, replicaDir]);
  const primary = await startEmbeddedPostgres({
    dataDir: primaryDir,
    persistent: false,
    preferredPort: first.port,
    // Throwaway data: a commit does not wait for its WAL to reach the disk. On a machine whose
    // disk is busy with other work, that wait alone held the demo shop's writes for 2 s. A pair
    // that stores what clients were told is stored (the cluster mode's) waits.
    settings: { synchronous_commit: options.durableCommits ? "on" : "off" },
  });
  const conninfo = new URL(primary.adminUrl);
  await writeFile(join(replicaDir, "standby.signal"), "");
  await appendFile(
    join(replicaDir, "postgresql.auto.conf"),
    `primary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${conninfo.username} password=${decodeURIComponent(conninfo.password)} application_name=${replicaName}'\n`,
  );
  let replica: EmbeddedPostgresHandle;
  try {
    replica = await startEmbeddedPostgres({ dataDir: replicaDir, persistent: false });
  } catch (error) {
    await primary.stop();
    await rm(replicaDir, { recursive: true, force: true });
    throw error;
  }
  return {
    primary,
    replica,
    replicaName,
    async stop() {
      await replica.stop();
      await primary.stop();
    },
  };
}
