-- Per-project ingest limits an admin changed from the defaults (series per request, new series
-- per minute); an empty object means the defaults.
ALTER TABLE "project" ADD COLUMN "ingest_limits" JSONB NOT NULL DEFAULT '{}';
