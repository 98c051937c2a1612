// The metric names the UI's special panels read. The agent emits them, and so do the
// OpenTelemetry Collector's redis and postgresql receivers, so either source lights a panel up.

export const httpMetrics = {
  serverDuration: "http.server.request.duration",
  routeAttribute: "http.route",
  statusAttribute: "http.response.status_code",
} as const;

export const infraMetrics = {
  processCpu: "process.cpu.utilization",
  processMemory: "process.memory.usage",
  systemCpu: "system.cpu.utilization",
  systemMemory: "system.memory.usage",
  systemNetwork: "system.network.io",
  eventLoopDelayPrefix: "nodejs.eventloop.delay.",
} as const;

/** node_exporter's names (scraped or remote-written): a host's CPU, memory and network. */
export const nodeExporterMetrics = {
  cpuSeconds: "node_cpu_seconds_total",
  idleMode: "idle",
  memoryTotal: "node_memory_MemTotal_bytes",
  memoryAvailable: "node_memory_MemAvailable_bytes",
  networkReceived: "node_network_receive_bytes_total",
  networkSent: "node_network_transmit_bytes_total",
  loopbackDevice: "lo",
} as const;

export const cacheMetrics = {
  redisHits: "redis.keyspace.hits",
  redisMisses: "redis.keyspace.misses",
  /** The same counters as redis_exporter names them (scraped or remote-written). */
  exporterHits: "redis_keyspace_hits_total",
  exporterMisses: "redis_keyspace_misses_total",
  requests: "cache.requests",
  resultAttribute: "cache.result",
  nameAttribute: "cache.name",
} as const;

export const replicaMetrics = {
  walDelay: "postgresql.wal.delay",
  dataDelay: "postgresql.replication.data_delay",
  operationAttribute: "operation",
  clientAttribute: "replication_client",
  /** Which side measured the lag ("primary" or "replica"); the agent sets it. */
  sourceAttribute: "vigil.lag.source",
  /**
   * postgres_exporter's names: the standby's seconds behind (its example queries.yaml,
   * `pg_replication`), and the primary's bytes behind per `application_name`.
   */
  exporterLagSeconds: "pg_replication_lag",
  exporterLagBytes: "pg_stat_replication_pg_wal_lsn_diff",
  exporterClientLabel: "application_name",
} as const;

export const shardMetrics = {
  rows: "vigil.shard.rows",
  bytes: "vigil.shard.bytes",
  requests: "vigil.shard.requests",
  idAttribute: "vigil.shard.id",
  storeAttribute: "vigil.shard.store",
} as const;

export const BUSINESS_PREFIX = "business.";

/** Every metric whose name starts with `business.` is a business metric. */
export function isBusinessMetric(name: string): boolean {
  return name.startsWith(BUSINESS_PREFIX) && name.length > BUSINESS_PREFIX.length;
}

/** `business.<name>` for a short name; names already in the namespace are kept. */
export function businessMetricName(name: string): string {
  return isBusinessMetric(name) ? name : `${BUSINESS_PREFIX}${name}`;
}
