import { createHash } from "node:crypto";
import pg from "pg";
import { db } from "./client.ts";

/** A stable 64-bit advisory-lock key for a name (PostgreSQL takes a bigint). */
export function lockKey(name: string): string {
  return createHash("sha256").update(`vigil:${name}`).digest().readBigInt64BE(0).toString();
}

/** Runs fn while holding an advisory lock for the named work, so replicas never run it twice at once. */
export async function withAdvisoryLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const client = await db().pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [lockKey(name)]);
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [lockKey(name)]);
    }
  } finally {
    client.release();
  }
}

/**
 * Cluster-wide leadership: one session-level advisory lock held on a dedicated connection. When
 * the process dies its connection closes and PostgreSQL releases the lock, so no lease can
 * outlive its holder; another replica's next attempt takes over.
 */
export class LeaderLock {
  #client: pg.Client | undefined;
  readonly #key: string;
  readonly name: string;
  readonly #connectionString: string;

  constructor(name: string, connectionString: string) {
    this.name = name;
    this.#connectionString = connectionString;
    this.#key = lockKey(`leader:${name}`);
  }

  get held(): boolean {
    return this.#client !== undefined;
  }

  /** Tries once; true when this process is (still) the leader. */
  async tryAcquire(onLost: (error: Error) => void): Promise<boolean> {
    if (this.#client) return this.#stillHeld(onLost);
    const client = new pg.Client({
      connectionString: this.#connectionString,
      application_name: `vigil-leader-${this.name}`,
    });
    await client.connect();
    const result = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1) AS ok", [
      this.#key,
    ]);
    if (!result.rows[0]?.ok) {
      await client.end();
      return false;
    }
    client.on("error", (error) => {
      this.#client = undefined;
      onLost(error);
    });
    this.#client = client;
    return true;
  }

  async #stillHeld(onLost: (error: Error) => void): Promise<boolean> {
    try {
      await this.#client?.query("SELECT 1");
      return true;
    } catch (error) {
      await this.release();
      onLost(error instanceof Error ? error : new Error(String(error)));
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    if (!client) return;
    await client.query("SELECT pg_advisory_unlock($1)", [this.#key]).catch(() => {});
    await client.end().catch(() => {});
  }
}
