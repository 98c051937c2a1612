import type { BatchObservableResult } from "@opentelemetry/api";
import { addProbe, type Probe, withinTime } from "./attach.ts";
import { num, type Queryable } from "./postgres.ts";

export type ReplicaProbeOptions = {
  /** The primary's pool: lag as the primary sees it, per replica (`pg_stat_replication`). */
  primary?: Queryable;
  /** Replica pools by name (or a list, named replica-1, replica-2, …): lag as each replica sees it. */
  replicas?: Record<string, Queryable> | Queryable[];
};

// Lag times are NULL once a caught-up replica has been idle a while: that is no lag.
const PRIMARY_SQL = `
SELECT application_name AS name,
       coalesce(extract(epoch FROM write_lag), 0)::float8 AS write,
       coalesce(extract(epoch FROM flush_lag), 0)::float8 AS flush,
       coalesce(extract(epoch FROM replay_lag), 0)::float8 AS replay,
       coalesce(pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), 0)::float8 AS bytes
  FROM pg_stat_replication`;

// A replica that has replayed all it received is not lagging, however old its last
// transaction is (an idle primary sends none).
const REPLICA_SQL = `
SELECT CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
            ELSE greatest(0, coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0))
       END::float8 AS seconds,
       coalesce(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()), 0)::float8 AS bytes`;

/**
 * Replica lag from both sides, read through the service's own pools when metrics are collected:
 * `postgresql.wal.delay` (seconds; `operation` write, flush or replay) and
 * `postgresql.replication.data_delay` (bytes), with `replication_client` naming the replica and
 * `vigil.lag.source` saying which side measured it.
 */
export function probePostgresReplicas(options: ReplicaProbeOptions): Probe {
  const replicas = Array.isArray(options.replicas)
    ? Object.fromEntries(options.replicas.map((pool, i) => [`replica-${i + 1}`, pool]))
    : (options.replicas ?? {});

  return addProbe((meter) => {
    const delay = meter.createObservableGauge("postgresql.wal.delay", { unit: "s" });
    const bytes = meter.createObservableGauge("postgresql.replication.data_delay", { unit: "By" });
    const observe = async (result: BatchObservableResult) => {
      const primary = options.primary;
      const reads: Promise<void>[] = [];
      if (primary)
        reads.push(
          withinTime(primary.query(PRIMARY_SQL)).then((answer) => {
            for (const row of answer?.rows ?? []) {
              const client = {
                replication_client: String(row.name),
                "vigil.lag.source": "primary",
              };
              for (const operation of ["write", "flush", "replay"])
                result.observe(delay, num(row[operation]), { ...client, operation });
              result.observe(bytes, num(row.bytes), client);
            }
          }),
        );
      for (const [name, pool] of Object.entries(replicas))
        reads.push(
          withinTime(pool.query(REPLICA_SQL)).then((answer) => {
            const row = answer?.rows[0];
            if (!row) return;
            const client = { replication_client: name, "vigil.lag.source": "replica" };
            result.observe(delay, num(row.seconds), { ...client, operation: "replay" });
            result.observe(bytes, num(row.bytes), client);
          }),
        );
      await Promise.all(reads);
    };
    meter.addBatchObservableCallback(observe, [delay, bytes]);
    return () => meter.removeBatchObservableCallback(observe, [delay, bytes]);
  });
}
