-- Services, their instances, and spans.
-- Repeated strings are stored once: spans reference a service and an instance by id.
-- Every table keeps project_id first in its primary key, so it can be distributed by it.

CREATE TABLE "service" (
  "project_id"  uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"          bigint GENERATED ALWAYS AS IDENTITY,
  "name"        text NOT NULL,
  "environment" text NOT NULL DEFAULT '',
  "first_seen"  timestamptz(3) NOT NULL DEFAULT now(),
  "last_seen"   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id"),
  UNIQUE ("project_id", "name", "environment")
);

CREATE TABLE "service_instance" (
  "project_id"  uuid NOT NULL,
  "id"          bigint GENERATED ALWAYS AS IDENTITY,
  "service_id"  bigint NOT NULL,
  "instance"    text NOT NULL,
  "version"     text NOT NULL DEFAULT '',
  "host"        text NOT NULL DEFAULT '',
  "attributes"  jsonb NOT NULL DEFAULT '{}',
  "first_seen"  timestamptz(3) NOT NULL DEFAULT now(),
  "last_seen"   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id"),
  UNIQUE ("project_id", "service_id", "instance", "version"),
  FOREIGN KEY ("project_id", "service_id") REFERENCES "service"("project_id", "id") ON DELETE CASCADE
);

-- One row per span, in daily partitions of start_ns (Unix nanoseconds, exact). A span sent twice
-- (a client retrying after a lost response) has the same key and is stored once.
CREATE TABLE "span" (
  "project_id"               uuid NOT NULL,
  "start_ns"                 bigint NOT NULL,
  "trace_id"                 uuid NOT NULL,
  "span_id"                  bytea NOT NULL,
  "parent_span_id"           bytea,
  "service_id"               bigint NOT NULL,
  "instance_id"              bigint NOT NULL,
  "name"                     text NOT NULL,
  "kind"                     smallint NOT NULL,
  "duration_ns"              bigint NOT NULL,
  "status_code"              smallint NOT NULL,
  "status_message"           text NOT NULL DEFAULT '',
  "trace_state"              text NOT NULL DEFAULT '',
  "flags"                    bigint NOT NULL DEFAULT 0,
  "scope_name"               text NOT NULL DEFAULT '',
  "scope_version"            text NOT NULL DEFAULT '',
  "attributes"               jsonb NOT NULL DEFAULT '{}',
  "events"                   jsonb,
  "links"                    jsonb,
  "dropped_attributes_count" integer NOT NULL DEFAULT 0,
  "dropped_events_count"     integer NOT NULL DEFAULT 0,
  "dropped_links_count"      integer NOT NULL DEFAULT 0,
  PRIMARY KEY ("project_id", "trace_id", "span_id", "start_ns")
) PARTITION BY RANGE ("start_ns");

CREATE INDEX "span_service_time_idx" ON "span" ("project_id", "service_id", "start_ns");

-- Retention per project and signal (days of raw data kept); absent means the default, 7.
CREATE TABLE "retention_policy" (
  "project_id" uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "signal"     text NOT NULL CHECK ("signal" IN ('traces', 'metrics', 'logs')),
  "days"       integer NOT NULL CHECK ("days" BETWEEN 1 AND 3650),
  PRIMARY KEY ("project_id", "signal")
);
