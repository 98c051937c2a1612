import pg from "pg";

// A streaming replica for reads (DATABASE_READ_URL): dashboards and the read API query it while
// it keeps up, and the primary while it does not. Its lag is measured on the replica itself, as
// Vigil's agent measures a service's replicas for the replica-lag panel (REPLICA_LAG_SQL): the
// age of the last replayed transaction while WAL waits to be replayed, zero once all received
// WAL is replayed (an idle primary sends none, however old its last transaction).

export const REPLICA_LAG_SQL = `
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE greatest(0, coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0))
       END::float8 AS seconds,
       coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::float8 AS bytes`;

export type ReadReplicaOptions = {
  /** Reads move to the primary while the replica is further behind than this (seconds). */
  maxLagSeconds?: number;
  /** How often the lag is measured (ms). */
  checkEveryMs?: number;
  maxConnections?: number;
  applicationName?: string;
  /** Hears each change of where reads go, with the lag that caused it. */
  onSwitch?: (to: "replica" | "primary", lag: ReplicaLag) => void;
};

/** The replica's lag as last measured; null while it cannot be reached or measured. */
export type ReplicaLag = { seconds: number; bytes: number } | null;

export class ReadReplica {
  readonly pool: pg.Pool;
  readonly maxLagSeconds: number;
  #primary: pg.Pool;
  #lag: ReplicaLag = null;
  #usable = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  #options: ReadReplicaOptions;

  constructor(primary: pg.Pool, url: string, options: ReadReplicaOptions = {}) {
    this.#primary = primary;
    this.#options = options;
    this.maxLagSeconds = options.maxLagSeconds ?? 10;
    this.pool = new pg.Pool({
      connectionString: url,
      max: options.maxConnections ?? 10,
      application_name: options.applicationName ?? "vigil-reads",
      options: "-c jit=off",
      connectionTimeoutMillis: 5000,
    });
    this.pool.on("error", () => {});
  }

  /** The pool reads use now: the replica while it is reachable and within maxLagSeconds. */
  reads(): pg.Pool {
    return this.#usable ? this.pool : this.#primary;
  }

  get lag(): ReplicaLag {
    return this.#lag;
  }

  /** Measures the lag now and routes reads by it; returns the measurement. */
  async check(): Promise<ReplicaLag> {
    try {
      const { rows } = await this.pool.query<{ seconds: number; bytes: number }>(REPLICA_LAG_SQL);
      const row = rows[0];
      this.#lag = row ? { seconds: Number(row.seconds), bytes: Number(row.bytes) } : null;
    } catch {
      this.#lag = null;
    }
    const usable = this.#lag !== null && this.#lag.seconds <= this.maxLagSeconds;
    if (usable !== this.#usable) {
      this.#usable = usable;
      this.#options.onSwitch?.(usable ? "replica" : "primary", this.#lag);
    }
    return this.#lag;
  }

  /** Measures now and then every checkEveryMs until stop(). */
  async start(): Promise<void> {
    await this.check();
    const every = this.#options.checkEveryMs ?? 1000;
    const loop = () => {
      if (this.#stopped) return;
      this.#timer = setTimeout(() => void this.check().finally(loop), every);
      this.#timer.unref();
    };
    loop();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.pool.end();
  }
}
