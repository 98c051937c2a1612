-- A rollup row also keeps its first point: when it came and what it added (its increase over
-- the point before). With the row's sums, points and last time, that is all PromQL's rate and
-- increase need over windows made of whole minutes, so they read minutes instead of points.
-- Rows rolled up before this have no first point; readers take their raw points instead.
ALTER TABLE "metric_rollup" ADD COLUMN "first_ns" BIGINT;
ALTER TABLE "metric_rollup" ADD COLUMN "first_value" DOUBLE PRECISION;
ALTER TABLE "metric_rollup" ADD COLUMN "first_count" BIGINT;
ALTER TABLE "metric_rollup" ADD COLUMN "first_sum" DOUBLE PRECISION;
ALTER TABLE "metric_rollup" ADD COLUMN "first_counts" BIGINT[];

-- How many minutes of each project were rolled up late (points that arrived after their minute
-- had been rolled up, or a rollup job that fell behind): caches of query results over rolled-up
-- minutes are valid while it stays the same.
CREATE TABLE "metric_rollup_revision" (
    "project_id" UUID NOT NULL,
    "late_minutes" BIGINT NOT NULL DEFAULT 0,
    CONSTRAINT "metric_rollup_revision_pkey" PRIMARY KEY ("project_id")
);
