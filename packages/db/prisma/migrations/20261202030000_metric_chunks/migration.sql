-- Metric points past their first hour, packed per series and hour: one row holds the hour's
-- points as parallel arrays (times, start times, values, counts, sums, min, max and, for
-- histograms, a two-dimensional array of bucket counts, a row per point). A series reporting
-- every 10 s stores 360 points in one row instead of 360 rows, each with its own header, key and
-- index entry, and PostgreSQL compresses the arrays. Recent points stay in metric_point, where
-- ingestion appends them; the compaction job moves closed hours here, and readers see both.
CREATE TABLE "metric_chunk" (
  "project_id" uuid NOT NULL,
  "series_id"  bigint NOT NULL,
  "window_ns"  bigint NOT NULL,
  "times"      bigint[],
  "starts"     bigint[],
  "vals"       double precision[],
  "counts"     bigint[],
  "sums"       double precision[],
  "mins"       double precision[],
  "maxs"       double precision[],
  "buckets"    bigint[],
  PRIMARY KEY ("project_id", "series_id", "window_ns")
) PARTITION BY RANGE ("window_ns");
