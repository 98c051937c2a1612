import { db } from "@vigil/db";
import { cacheHitRates, instanceBalance, replicaLag, shardBalance } from "@vigil/db/telemetry";
import { gradeAbove, gradeBelow, type Thresholds } from "./grades.ts";
import { nsWindow, type TimeWindow } from "./time-range.ts";

/**
 * Cache hit rate, replica lag, shard balance and how evenly each service's instances share its
 * requests (load balance, graded with the shard skew limits) over the window, each graded.
 */
export async function scaling(projectId: string, window: TimeWindow, thresholds: Thresholds) {
  const span = nsWindow(window);
  const [caches, lags, stores, balances] = await Promise.all([
    cacheHitRates(db().reads(), projectId, span),
    replicaLag(db().reads(), projectId, span),
    shardBalance(db().reads(), projectId, span),
    instanceBalance(db().reads(), projectId, span),
  ]);
  // A replica is shown once, by the replica's own view when it reports one.
  const replicas = new Map<string, (typeof lags)[number]>();
  for (const lag of lags) {
    const id = `${lag.service}\u0000${lag.replica}`;
    if (!replicas.has(id) || lag.source === "replica") replicas.set(id, lag);
  }
  return {
    caches: caches.map((cache) => ({
      ...cache,
      grade: gradeBelow(cache.hitRate, thresholds.cacheHitRate),
    })),
    replicas: [...replicas.values()].map((lag) => ({
      ...lag,
      grade: gradeAbove(lag.seconds, thresholds.replicaLagSeconds),
    })),
    shards: stores.map((store) => ({
      ...store,
      grade: gradeAbove(store.skew, thresholds.shardSkew),
    })),
    balances: balances.map((balance) => ({
      ...balance,
      grade: gradeAbove(balance.skew, thresholds.shardSkew),
    })),
  };
}
