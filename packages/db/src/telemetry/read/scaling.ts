import { cacheMetrics, httpMetrics, replicaMetrics, shardMetrics } from "@vigil/otel";
import type pg from "pg";
import { ERROR_SERIES } from "../rollup/rollups.ts";
import { literal } from "../sql-literal.ts";
import { seriesPoints } from "./increases.ts";
import { pointSource, resolutionFor } from "./point-source.ts";
import type { Window } from "./window.ts";

/** One series' points in the window [$2, $3) of project $1 (increases for counters). */
const WINDOW_POINTS = (series: string) =>
  seriesPoints({ project: "$1", series, lo: "$2", hi: "$3" });

/** Redis's counters as the agent (OpenTelemetry) and as redis_exporter name them. */
const REDIS_HITS = `${literal(cacheMetrics.redisHits)}, ${literal(cacheMetrics.exporterHits)}`;
const REDIS_MISSES = `${literal(cacheMetrics.redisMisses)}, ${literal(cacheMetrics.exporterMisses)}`;
const LAG_SECONDS = `${literal(replicaMetrics.walDelay)}, ${literal(replicaMetrics.exporterLagSeconds)}`;
const LAG_BYTES = `${literal(replicaMetrics.dataDelay)}, ${literal(replicaMetrics.exporterLagBytes)}`;

export type CacheHitRate = {
  cache: string;
  /** The services that report this cache. */
  services: string[];
  hits: number;
  misses: number;
  /** hits ÷ (hits + misses) over the window; null when there were no lookups. */
  hitRate: number | null;
};

/**
 * Cache hit rate per cache (`cache.name`, "redis" when unnamed) over a window, from counter
 * increases (never totals since start). Redis's `redis.keyspace.hits`/`misses` count for the
 * whole server, so when several instances probe the same Redis each reports the same lookups:
 * the busiest single series is taken, not their sum. `cache.requests` (counted by the app, per
 * lookup) adds up across instances.
 */
export async function cacheHitRates(
  pool: pg.Pool,
  projectId: string,
  window: Window,
): Promise<CacheHitRate[]> {
  const result = await pool.query<Omit<CacheHitRate, "hitRate">>(
    `WITH sel AS (
       SELECT ms.id, ms.name, ms.service_id,
              -- A Redis seen through redis_exporter is named by the exporter's target.
              coalesce(ms.attributes->>${literal(cacheMetrics.nameAttribute)},
                       CASE WHEN ms.prometheus THEN 'redis ' || (ms.attributes->>'instance') END, 'redis') AS cache,
              ms.attributes->>${literal(cacheMetrics.resultAttribute)} AS result
         FROM metric_series ms
        WHERE ms.project_id = $1 AND ms.name IN (${REDIS_HITS}, ${REDIS_MISSES}, ${literal(cacheMetrics.requests)})
     ),
     per_series AS (
       SELECT p.series_id, p.name, s.name AS service, p.cache, p.result, sum(p.value_sum) AS total
         FROM ${pointSource(resolutionFor(window), { project: "$1", from: "$2", to: "$3", series: "sel", carry: ["name", "service_id", "cache", "result"] })} p
         JOIN service s ON s.project_id = $1 AND s.id = p.service_id
        GROUP BY 1, 2, 3, 4, 5
     )
     SELECT cache, array_agg(DISTINCT service ORDER BY service) AS services,
            (coalesce(max(total) FILTER (WHERE name IN (${REDIS_HITS})), 0)
             + coalesce(sum(total) FILTER (WHERE name = ${literal(cacheMetrics.requests)} AND result = 'hit'), 0))::float8 AS hits,
            (coalesce(max(total) FILTER (WHERE name IN (${REDIS_MISSES})), 0)
             + coalesce(sum(total) FILTER (WHERE name = ${literal(cacheMetrics.requests)} AND result = 'miss'), 0))::float8 AS misses
       FROM per_series
      GROUP BY cache
      ORDER BY cache`,
    [projectId, window.fromNs.toString(), window.toNs.toString()],
  );
  return result.rows.map((row) => ({
    ...row,
    hitRate: row.hits + row.misses > 0 ? row.hits / (row.hits + row.misses) : null,
  }));
}

export type ReplicaLag = {
  service: string;
  replica: string;
  /** Which side measured it: "primary" (pg_stat_replication) or "replica". */
  source: string;
  /** The largest of the latest write, flush and replay delays, in seconds. */
  seconds: number | null;
  bytes: number | null;
  timeNs: string;
};

/** The latest replica lag per replica and side within a window. */
export async function replicaLag(
  pool: pg.Pool,
  projectId: string,
  window: Window,
): Promise<ReplicaLag[]> {
  const result = await pool.query<ReplicaLag>(
    `WITH latest AS (
       SELECT DISTINCT ON (ms.id) ms.name, ms.service_id, ms.attributes, p.value, p.time_ns
         FROM metric_series ms CROSS JOIN LATERAL ${WINDOW_POINTS("ms.id")} p
        WHERE ms.project_id = $1
          AND ms.name IN (${LAG_SECONDS}, ${LAG_BYTES})
        ORDER BY ms.id, p.time_ns DESC
     )
     SELECT s.name AS service,
            -- postgres_exporter: the primary names the standby (application_name); a standby's
            -- own exporter is named by its target.
            coalesce(l.attributes->>${literal(replicaMetrics.clientAttribute)},
                     l.attributes->>${literal(replicaMetrics.exporterClientLabel)},
                     CASE WHEN l.name = ${literal(replicaMetrics.exporterLagSeconds)} THEN l.attributes->>'instance' END, '') AS replica,
            coalesce(l.attributes->>${literal(replicaMetrics.sourceAttribute)},
                     CASE WHEN l.name = ${literal(replicaMetrics.exporterLagSeconds)} THEN 'replica' END, 'primary') AS source,
            max(l.value) FILTER (WHERE l.name IN (${LAG_SECONDS})) AS seconds,
            max(l.value) FILTER (WHERE l.name IN (${LAG_BYTES})) AS bytes,
            max(l.time_ns)::text AS "timeNs"
       FROM latest l JOIN service s ON s.project_id = $1 AND s.id = l.service_id
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [projectId, window.fromNs.toString(), window.toNs.toString()],
  );
  return result.rows;
}

export type ShardSizes = {
  shard: string;
  rows: number | null;
  bytes: number | null;
  requests: number;
};

export type ShardBalance = {
  store: string;
  shards: ShardSizes[];
  /** max ÷ mean of rows (bytes when rows are not reported); 1 is perfectly even. */
  skew: number | null;
  /** Coefficient of variation (population standard deviation ÷ mean) of the same measure. */
  cv: number | null;
  largest: string | null;
};

/**
 * Per sharded store: each shard's latest rows and bytes and its requests in the window, and the
 * skew. A shard's size is one measurement, whoever took it: when several instances measure the
 * same shard (each replica of a service, or a new one after a restart) the latest counts, not
 * their sum.
 */
export async function shardBalance(
  pool: pg.Pool,
  projectId: string,
  window: Window,
): Promise<ShardBalance[]> {
  const result = await pool.query<ShardSizes & { store: string }>(
    `WITH series AS (
       SELECT ms.id, ms.name, coalesce(ms.attributes->>${literal(shardMetrics.storeAttribute)}, 'default') AS store,
              ms.attributes->>${literal(shardMetrics.idAttribute)} AS shard
         FROM metric_series ms
        WHERE ms.project_id = $1 AND ms.name IN (${literal(shardMetrics.rows)}, ${literal(shardMetrics.bytes)}, ${literal(shardMetrics.requests)})
          AND ms.attributes ? ${literal(shardMetrics.idAttribute)}
     ),
     latest AS (
       SELECT DISTINCT ON (se.name, se.store, se.shard) se.name, se.store, se.shard, p.value
         FROM series se CROSS JOIN LATERAL ${WINDOW_POINTS("se.id")} p
        WHERE se.name <> ${literal(shardMetrics.requests)}
        ORDER BY se.name, se.store, se.shard, p.time_ns DESC
     ),
     requests AS (
       SELECT se.store, se.shard, sum(p.value) AS requests
         FROM series se CROSS JOIN LATERAL ${WINDOW_POINTS("se.id")} p
        WHERE se.name = ${literal(shardMetrics.requests)}
        GROUP BY 1, 2
     ),
     sizes AS (
       SELECT store, shard,
              sum(value) FILTER (WHERE name = ${literal(shardMetrics.rows)}) AS rows,
              sum(value) FILTER (WHERE name = ${literal(shardMetrics.bytes)}) AS bytes
         FROM latest GROUP BY 1, 2
     )
     SELECT coalesce(z.store, r.store) AS store, coalesce(z.shard, r.shard) AS shard,
            z.rows, z.bytes, coalesce(r.requests, 0)::float8 AS requests
       FROM sizes z FULL JOIN requests r ON r.store = z.store AND r.shard = z.shard
      ORDER BY 1, 2`,
    [projectId, window.fromNs.toString(), window.toNs.toString()],
  );
  const stores = new Map<string, ShardSizes[]>();
  for (const { store, ...shard } of result.rows) {
    const list = stores.get(store) ?? [];
    list.push(shard);
    stores.set(store, list);
  }
  return [...stores].map(([store, shards]) => ({ store, shards, ...balanceOf(shards) }));
}

export type InstanceLoad = { instance: string; requests: number; errors: number };

export type InstanceBalance = {
  service: string;
  environment: string;
  instances: InstanceLoad[];
  /** max ÷ mean of requests; 1 is perfectly even. */
  skew: number | null;
  busiest: string | null;
};

/**
 * How evenly each service's requests spread over its instances in the window (what a load
 * balancer in front of them achieved), from the request-duration histogram's counts per
 * instance; services with one instance are left out.
 */
export async function instanceBalance(
  pool: pg.Pool,
  projectId: string,
  window: Window,
): Promise<InstanceBalance[]> {
  const source = pointSource(resolutionFor(window), {
    project: "$1",
    from: "$2",
    to: "$3",
    series: "sel",
    carry: ["service_id", "instance_id", "error"],
  });
  const result = await pool.query<InstanceLoad & { service: string; environment: string }>(
    `WITH sel AS (
       SELECT ms.id, ms.service_id, ms.instance_id, ${ERROR_SERIES} AS error
         FROM metric_series ms WHERE ms.project_id = $1 AND ms.name = $4 AND ms.type = 3
     )
     SELECT s.name AS service, s.environment, i.instance,
            coalesce(sum(p.count), 0)::float8 AS requests,
            coalesce(sum(p.count) FILTER (WHERE p.error), 0)::float8 AS errors
       FROM ${source} p
       JOIN service s ON s.project_id = $1 AND s.id = p.service_id
       JOIN service_instance i ON i.project_id = $1 AND i.id = p.instance_id
      GROUP BY 1, 2, 3
      ORDER BY 1, 2, 3`,
    [projectId, window.fromNs.toString(), window.toNs.toString(), httpMetrics.serverDuration],
  );
  const services = new Map<string, InstanceBalance>();
  for (const { service, environment, ...load } of result.rows) {
    const key = `${service}\u0000${environment}`;
    const entry = services.get(key) ?? {
      service,
      environment,
      instances: [],
      skew: null,
      busiest: null,
    };
    entry.instances.push(load);
    services.set(key, entry);
  }
  return [...services.values()]
    .filter((entry) => entry.instances.length > 1)
    .map((entry) => {
      const requests = entry.instances.map((instance) => instance.requests);
      const mean = requests.reduce((a, b) => a + b, 0) / requests.length;
      const max = Math.max(...requests);
      return {
        ...entry,
        skew: mean > 0 ? max / mean : null,
        busiest: mean > 0 ? (entry.instances[requests.indexOf(max)]?.instance ?? null) : null,
      };
    });
}

/** Skew (max ÷ mean), coefficient of variation and the largest shard, by rows, else bytes. */
export function balanceOf(shards: ShardSizes[]): Pick<ShardBalance, "skew" | "cv" | "largest"> {
  const measure = shards.some((shard) => shard.rows !== null) ? "rows" : "bytes";
  const sized = shards.filter((shard) => shard[measure] !== null);
  const values = sized.map((shard) => shard[measure] as number);
  const mean = values.reduce((a, b) => a + b, 0) / (values.length || 1);
  if (values.length === 0 || mean === 0) return { skew: null, cv: null, largest: null };
  const max = Math.max(...values);
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return {
    skew: max / mean,
    cv: Math.sqrt(variance) / mean,
    largest: sized[values.indexOf(max)]?.shard ?? null,
  };
}
