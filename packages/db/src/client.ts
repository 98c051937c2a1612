import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "./generated/prisma/client.ts";
import { ReadReplica, type ReadReplicaOptions } from "./read-replica.ts";

export type Database = {
  /** The Prisma client for everything that is not a hot path. */
  prisma: PrismaClient;
  /** The same pool, for the hot-path SQL that lives in this package. */
  pool: pg.Pool;
  url: string;
  /**
   * The pool for dashboard and read-API queries: the read replica (DATABASE_READ_URL) while it
   * keeps up, else the primary's. Never for writes, nor for reads that must see them.
   */
  reads(): pg.Pool;
  replica?: ReadReplica;
};

// One client per process. It lives on globalThis because the control plane's entry point and
// the Next.js bundle each load their own copy of this module into the same process.
const slot = Symbol.for("vigil.database");
type Slot = { [slot]?: Database };

export type ConnectOptions = {
  maxConnections?: number;
  applicationName?: string;
  /** A streaming replica of the same database for reads, and how it is used. */
  readUrl?: string;
  readReplica?: ReadReplicaOptions;
};

/** Opens the process's database client; a second call with the same URL returns the first. */
export function connectDatabase(url: string, options: ConnectOptions = {}): Database {
  const existing = (globalThis as Slot)[slot];
  if (existing) {
    if (existing.url !== url) {
      throw new Error("connectDatabase: this process is already connected to another database");
    }
    return existing;
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    application_name: options.applicationName ?? "vigil",
    // JIT compiles a query for ~0.5 s when the planner's estimate is large; Vigil's dashboard
    // queries read few rows from rollups and are far quicker without it.
    options: "-c jit=off",
  });
  // An idle client that loses its connection emits here; without a listener the process exits.
  pool.on("error", () => {});
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const replica = options.readUrl
    ? new ReadReplica(pool, options.readUrl, {
        maxConnections: options.maxConnections,
        ...options.readReplica,
      })
    : undefined;
  // Reads go to the primary until the replica's first measurement says it keeps up.
  void replica?.start();
  const database: Database = {
    prisma,
    pool,
    url,
    reads: () => replica?.reads() ?? pool,
    ...(replica ? { replica } : {}),
  };
  (globalThis as Slot)[slot] = database;
  return database;
}

/** The process's database client; throws if connectDatabase has not run. */
export function db(): Database {
  const database = (globalThis as Slot)[slot];
  if (!database)
    throw new Error("The database is not connected yet (connectDatabase was not called)");
  return database;
}

export async function closeDatabase(): Promise<void> {
  const database = (globalThis as Slot)[slot];
  if (!database) return;
  delete (globalThis as Slot)[slot];
  await database.prisma.$disconnect();
  await database.replica?.stop();
  await database.pool.end();
}
