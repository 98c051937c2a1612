// Telemetry storage, in the order data flows: write/ (ingest's COPY paths, series and service
// resolution), rollup/ (the background work over what is stored: rollups, compaction of closed
// hours, partitions and retention) and read/ (every query the UI, the API and alerting run).

export { type DependencyEdge, dependencyEdges } from "./read/dependencies.ts";
export { POINT_COLUMNS, projectPoints, seriesPoints } from "./read/increases.ts";
export { type LogSearch, type StoredLog, searchLogs } from "./read/log-search.ts";
export {
  type AttributeKeys,
  INSTANCE_GROUP,
  type MetricBucket,
  type MetricQuery,
  type MetricResult,
  metricAttributes,
  queryMetric,
  SERVICE_GROUP,
} from "./read/metric-query.ts";
export { type OperationStats, operationStats } from "./read/operations.ts";
export { type Resolution, resolutionFor } from "./read/point-source.ts";
export {
  type PromMinuteRow,
  prometheusFirstPoints,
  prometheusIncreases,
  prometheusMinutes,
} from "./read/prometheus-increases.ts";
export {
  type PromCatalogRow,
  type PromPointRow,
  type PromTargetRow,
  prometheusCatalog,
  prometheusCatalogVersion,
  prometheusPoints,
  prometheusTargets,
} from "./read/prometheus-series.ts";
export {
  type RedStep,
  type RouteStep,
  redSteps,
  routeSteps,
  type ServiceRedStep,
  serviceDataStarts,
} from "./read/red.ts";
export { type RollupState, rollupState } from "./read/rollup-state.ts";
export {
  balanceOf,
  type CacheHitRate,
  cacheHitRates,
  type InstanceBalance,
  type InstanceLoad,
  instanceBalance,
  type ReplicaLag,
  replicaLag,
  type ShardBalance,
  type ShardSizes,
  shardBalance,
} from "./read/scaling.ts";
export {
  type BusinessStep,
  businessSteps,
  type MetricName,
  type MetricSummary,
  metricCatalog,
  metricSummaries,
} from "./read/summaries.ts";
export { type StoredSpan, spansOfTrace } from "./read/trace-by-id.ts";
export {
  type ServiceSummary,
  searchTraces,
  servicesOf,
  type TraceSearch,
  type TraceSummary,
} from "./read/trace-search.ts";
export type { Window } from "./read/window.ts";
export { type CompactionResult, compactMetrics } from "./rollup/compaction.ts";
export {
  dayOf,
  dropPartitionsBefore,
  ensureDailyPartitions,
  NS_PER_DAY,
} from "./rollup/partitions.ts";
export {
  applyRetention,
  createPartitionsAhead,
  DEFAULT_RETENTION_DAYS,
  type RetentionResult,
} from "./rollup/retention.ts";
export { type RollupResult, rollUpPending } from "./rollup/rollups.ts";
export { compactSpans, type SpanCompactionResult } from "./rollup/span-compaction.ts";
export {
  type GroupCommitOptions,
  GroupCommitQueue,
  Overloaded,
  RowsRefused,
} from "./write/group-commit.ts";
export { LOG_COLUMNS, type LogRow } from "./write/log-rows.ts";
export { writeLogs } from "./write/log-writer.ts";
export {
  type ExpHistogram,
  METRIC_POINT_COLUMNS,
  type MetricPointRow,
  metricPointLine,
} from "./write/metric-rows.ts";
export { writeMetricPoints } from "./write/metric-writer.ts";
export { noteSearchedKeys, SEARCH_KEYS } from "./write/search-keys.ts";
export {
  resolveSeries,
  resolveSeriesMany,
  type SeriesBudget,
  type SeriesKey,
  type SeriesMeta,
  sameNumbers,
  seriesKey,
  type WantedSeries,
} from "./write/series.ts";
export { resolveService, type ServiceIdentity, type ServiceRef } from "./write/services.ts";
export { SPAN_COLUMNS, type SpanRow, spanLine } from "./write/span-rows.ts";
export { writeSpans } from "./write/span-writer.ts";
