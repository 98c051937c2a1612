-- Metrics: a series dictionary (one row per instance, name, type and attribute set) and points in
-- daily partitions of time_ns that reference it.

CREATE TABLE "metric_series" (
  "project_id"      uuid NOT NULL,
  "id"              bigint GENERATED ALWAYS AS IDENTITY,
  "service_id"      bigint NOT NULL,
  "instance_id"     bigint NOT NULL,
  "name"            text NOT NULL,
  -- 1 gauge, 2 sum, 3 histogram, 4 exponential histogram, 5 summary
  "type"            smallint NOT NULL,
  "unit"            text NOT NULL DEFAULT '',
  "description"     text NOT NULL DEFAULT '',
  "monotonic"       boolean NOT NULL DEFAULT false,
  "attributes"      jsonb NOT NULL DEFAULT '{}',
  "attributes_hash" text NOT NULL,
  "first_seen"      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id"),
  UNIQUE ("project_id", "instance_id", "name", "type", "attributes_hash"),
  FOREIGN KEY ("project_id", "instance_id") REFERENCES "service_instance"("project_id", "id") ON DELETE CASCADE
);
CREATE INDEX "metric_series_name_idx" ON "metric_series" ("project_id", "name");

-- Gauges keep their value; sums and histograms are stored as the increase over
-- (start_ns, time_ns] whatever temporality they arrived in.
CREATE TABLE "metric_point" (
  "project_id" uuid NOT NULL,
  "series_id"  bigint NOT NULL,
  "time_ns"    bigint NOT NULL,
  "start_ns"   bigint NOT NULL DEFAULT 0,
  "value"      double precision,
  "count"      bigint,
  "sum"        double precision,
  "min"        double precision,
  "max"        double precision,
  "bounds"     double precision[],
  "counts"     bigint[],
  "exp"        jsonb,
  "quantiles"  jsonb,
  PRIMARY KEY ("project_id", "series_id", "time_ns")
) PARTITION BY RANGE ("time_ns");

-- The last cumulative point of each cumulative series, to turn the next one into an increase.
CREATE TABLE "metric_cumulative" (
  "project_id" uuid NOT NULL,
  "series_id"  bigint NOT NULL,
  "start_ns"   bigint NOT NULL,
  "time_ns"    bigint NOT NULL,
  "value"      double precision,
  "count"      bigint,
  "sum"        double precision,
  "bounds"     double precision[],
  "counts"     bigint[],
  "exp"        jsonb,
  PRIMARY KEY ("project_id", "series_id")
);
