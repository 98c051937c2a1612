-- Series that arrived in Prometheus's own model (remote write, scrapes) keep their names and
-- labels as sent: PromQL reads them as they are, where OpenTelemetry series are translated
-- (units and `_total` suffixes, service.name as job).
ALTER TABLE "metric_series" ADD COLUMN "prometheus" BOOLEAN NOT NULL DEFAULT false;
