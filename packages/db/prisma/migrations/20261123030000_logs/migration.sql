-- Log records in daily partitions of time_ns. A record has no id of its own in OTLP, so its key is
-- a hash of its content: a batch sent twice is stored once.
CREATE TABLE "log_record" (
  "project_id"               uuid NOT NULL,
  "time_ns"                  bigint NOT NULL,
  "id"                       bytea NOT NULL,
  "observed_ns"              bigint NOT NULL DEFAULT 0,
  "service_id"               bigint NOT NULL,
  "instance_id"              bigint NOT NULL,
  "severity_number"          smallint NOT NULL DEFAULT 0,
  "severity_text"            text NOT NULL DEFAULT '',
  "body"                     jsonb,
  "attributes"               jsonb NOT NULL DEFAULT '{}',
  "trace_id"                 uuid,
  "span_id"                  bytea,
  "flags"                    bigint NOT NULL DEFAULT 0,
  "event_name"               text NOT NULL DEFAULT '',
  "scope_name"               text NOT NULL DEFAULT '',
  "scope_version"            text NOT NULL DEFAULT '',
  "dropped_attributes_count" integer NOT NULL DEFAULT 0,
  PRIMARY KEY ("project_id", "id", "time_ns")
) PARTITION BY RANGE ("time_ns");

CREATE INDEX "log_record_service_time_idx" ON "log_record" ("project_id", "service_id", "time_ns");
CREATE INDEX "log_record_trace_idx" ON "log_record" ("project_id", "trace_id") WHERE "trace_id" IS NOT NULL;
