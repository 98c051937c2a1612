-- Rollups of metric points per series: one row per minute (resolution 60) and per hour (3600),
-- carrying what every aggregation needs — counts, sums, min, max, the last value and merged
-- histogram buckets — so charts over long ranges never scan raw points. Daily partitions of
-- bucket_ns, dropped with the raw points' retention.
CREATE TABLE "metric_rollup" (
  "project_id" uuid NOT NULL,
  "resolution" integer NOT NULL CHECK ("resolution" IN (60, 3600)),
  "series_id"  bigint NOT NULL,
  "bucket_ns"  bigint NOT NULL,
  "points"     integer NOT NULL,
  "value_sum"  double precision,
  "value_min"  double precision,
  "value_max"  double precision,
  "value_last" double precision,
  "last_ns"    bigint NOT NULL,
  "count"      bigint,
  "sum"        double precision,
  "min"        double precision,
  "max"        double precision,
  "bounds"     double precision[],
  "counts"     bigint[],
  PRIMARY KEY ("project_id", "resolution", "series_id", "bucket_ns")
) PARTITION BY RANGE ("bucket_ns");

-- Buckets whose rollup is behind their raw points: written in the same transaction as the points,
-- removed by the rollup job once it has recomputed the bucket. Queries read raw points for these.
CREATE TABLE "metric_rollup_pending" (
  "project_id" uuid NOT NULL,
  "resolution" integer NOT NULL CHECK ("resolution" IN (60, 3600)),
  "bucket_ns"  bigint NOT NULL,
  PRIMARY KEY ("project_id", "resolution", "bucket_ns")
);

-- The rollup job reads a minute of raw points across all series; points arrive in time order,
-- so a BRIN index finds that minute cheaply without slowing ingestion.
CREATE INDEX "metric_point_time_brin" ON "metric_point" USING brin ("time_ns") WITH (pages_per_range = 16, autosummarize = on);

-- Trace search by attribute (`key=value`): containment queries on span attributes.
CREATE INDEX "span_attributes_idx" ON "span" USING gin ("attributes" jsonb_path_ops);

-- The hourly rollup reads an hour of minute rollups across all series.
CREATE INDEX "metric_rollup_bucket_brin" ON "metric_rollup" USING brin ("bucket_ns") WITH (autosummarize = on);

-- The same rollups merged across each service's series of a metric (instances and attribute
-- sets), for charts that neither filter nor group by attributes: the overview's hundreds of
-- series per metric become one row per service and bucket. `errors` counts the observations of
-- series whose http.response.status_code is 5xx, for error rates.
CREATE TABLE "metric_service_rollup" (
  "project_id" uuid NOT NULL,
  "resolution" integer NOT NULL CHECK ("resolution" IN (60, 3600)),
  "service_id" bigint NOT NULL,
  "name"       text NOT NULL,
  "bucket_ns"  bigint NOT NULL,
  "points"     integer NOT NULL,
  "value_sum"  double precision,
  "value_min"  double precision,
  "value_max"  double precision,
  "count"      bigint,
  "errors"     bigint,
  "sum"        double precision,
  "min"        double precision,
  "max"        double precision,
  "bounds"     double precision[],
  "counts"     bigint[],
  PRIMARY KEY ("project_id", "resolution", "service_id", "name", "bucket_ns")
) PARTITION BY RANGE ("bucket_ns");
-- Service 0 is every service of the project together, for charts of a metric across services.
