-- Metric points are stored as they are sent. A cumulative series keeps its running totals and
-- readers take increases between neighbouring points (as Prometheus's rate does), so the write
-- path is a COPY with no per-series state to read, lock and rewrite. A series' temporality and
-- histogram bucket layout are part of what it is, stored once on the series, not on every point.

ALTER TABLE "metric_series"
  ADD COLUMN "cumulative" boolean NOT NULL DEFAULT false,
  ADD COLUMN "bounds" double precision[];

-- Series written before this migration hold increases already (cumulative = false); their bucket
-- layout moves from the points to the series.
UPDATE "metric_series" ms SET "bounds" = last."bounds"
  FROM (SELECT DISTINCT ON (p."project_id", p."series_id") p."project_id", p."series_id", p."bounds"
          FROM "metric_point" p WHERE p."bounds" IS NOT NULL
         ORDER BY p."project_id", p."series_id", p."time_ns" DESC) last
 WHERE ms."project_id" = last."project_id" AND ms."id" = last."series_id";

ALTER TABLE "metric_point" DROP COLUMN "bounds";
DROP TABLE "metric_cumulative";

-- The increase of a cumulative histogram's bucket counts over the point before; NULL when a
-- bucket went down or the layout differs (the histogram restarted: the point counts whole).
CREATE FUNCTION vigil_counts_increase(now bigint[], before bigint[]) RETURNS bigint[]
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN cardinality(now) = cardinality(before)
               AND NOT EXISTS (SELECT 1 FROM unnest(now, before) AS u(a, b) WHERE a < b)
              THEN ARRAY(SELECT a - b FROM unnest(now, before) WITH ORDINALITY AS u(a, b, i) ORDER BY i)
         END
$$;
