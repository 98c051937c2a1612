-- Project dashboards: a name and an ordered list of charts, each a metric query (metric, service,
-- attribute filters, group-by, aggregation) with a title, validated by the application.
CREATE TABLE "dashboard" (
  "project_id" uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"         uuid NOT NULL DEFAULT gen_random_uuid(),
  "name"       text NOT NULL,
  "charts"     jsonb NOT NULL DEFAULT '[]',
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id")
);

-- The overview's good/warning/bad thresholds a project has changed (absent keys: the defaults).
ALTER TABLE "project" ADD COLUMN "thresholds" jsonb NOT NULL DEFAULT '{}';
