// Telemetry storage: the hot-path SQL behind ingestion.

export { type CompactionResult, compactMetrics } from "./compaction.ts";
export { type DependencyEdge, dependencyEdges } from "./dependency-queries.ts";
export {
  type GroupCommitOptions,
  GroupCommitQueue,
  Overloaded,
  RowsRefused,
} from "./group-commit.ts";
export { POINT_COLUMNS, projectPoints, seriesPoints } from "./increases.ts";
export { type LogSearch, type StoredLog, searchLogs } from "./log-queries.ts";
export { LOG_COLUMNS, type LogRow } from "./log-rows.ts";
export { writeLogs } from "./log-writer.ts";
export {
  type AttributeKeys,
  INSTANCE_GROUP,
  type MetricBucket,
  type MetricQuery,
  type MetricResult,
  metricAttributes,
  queryMetric,
  SERVICE_GROUP,
} from "./metric-queries.ts";
export {
  type ExpHistogram,
  METRIC_POINT_COLUMNS,
  type MetricPointRow,
  metricPointLine,
} from "./metric-rows.ts";
export { writeMetricPoints } from "./metric-writer.ts";
export { dayOf, dropPartitionsBefore, ensureDailyPartitions, NS_PER_DAY } from "./partitions.ts";
export { type Resolution, resolutionFor } from "./point-source.ts";
export {
  type ServiceSummary,
  searchTraces,
  servicesOf,
  type TraceSearch,
  type TraceSummary,
} from "./read-queries.ts";
export { type RedStep, redSteps, serviceDataStarts } from "./red-queries.ts";
export {
  applyRetention,
  createPartitionsAhead,
  DEFAULT_RETENTION_DAYS,
  type RetentionResult,
} from "./retention.ts";
export { type RollupResult, rollUpPending } from "./rollup-job.ts";
export {
  balanceOf,
  type CacheHitRate,
  cacheHitRates,
  type ReplicaLag,
  replicaLag,
  type ShardBalance,
  type ShardSizes,
  shardBalance,
  type Window,
} from "./scaling-queries.ts";
export {
  resolveSeries,
  resolveSeriesMany,
  type SeriesBudget,
  type SeriesKey,
  type SeriesMeta,
  seriesKey,
  type WantedSeries,
} from "./series.ts";
export {
  type OperationStats,
  operationStats,
  type RouteStep,
  routeSteps,
} from "./service-queries.ts";
export { resolveService, type ServiceIdentity, type ServiceRef } from "./services.ts";
export { SPAN_COLUMNS, type SpanRow, spanLine } from "./span-rows.ts";
export { writeSpans } from "./span-writer.ts";
export {
  type BusinessStep,
  businessSteps,
  type MetricName,
  type MetricSummary,
  metricCatalog,
  metricSummaries,
} from "./summary-queries.ts";
export { type StoredSpan, spansOfTrace } from "./trace-queries.ts";
