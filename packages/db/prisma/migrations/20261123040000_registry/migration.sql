-- The service registry: Consul-style instances and their checks, a history of state changes, and
-- one change counter per project that blocking reads wait on (X-Consul-Index).

CREATE TABLE "registry_instance" (
  "project_id"    uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"            text NOT NULL,
  "service"       text NOT NULL,
  "address"       text NOT NULL DEFAULT '',
  "port"          integer NOT NULL DEFAULT 0,
  "tags"          text[] DEFAULT '{}',
  "meta"          jsonb NOT NULL DEFAULT '{}',
  -- The latest load the instance reported with a heartbeat (in-flight requests, CPU), if any.
  "load"          jsonb,
  "create_index"  bigint NOT NULL,
  "modify_index"  bigint NOT NULL,
  "registered_at" timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id")
);
CREATE INDEX "registry_instance_service_idx" ON "registry_instance" ("project_id", "service");

-- status: passing, warning or critical. A TTL check expires at expires_at.
CREATE TABLE "registry_check" (
  "project_id"          uuid NOT NULL,
  "id"                  text NOT NULL,
  "instance_id"         text NOT NULL,
  "name"                text NOT NULL,
  "kind"                text NOT NULL CHECK ("kind" IN ('ttl', 'http', 'rule')),
  "status"              text NOT NULL CHECK ("status" IN ('passing', 'warning', 'critical')),
  "output"              text NOT NULL DEFAULT '',
  "notes"               text NOT NULL DEFAULT '',
  "ttl_ms"              integer,
  "http_url"            text,
  "interval_ms"         integer,
  "timeout_ms"          integer,
  "deregister_after_ms" integer,
  "expires_at"          timestamptz(3),
  "critical_since"      timestamptz(3),
  "last_checked_at"     timestamptz(3),
  "create_index"        bigint NOT NULL,
  "modify_index"        bigint NOT NULL,
  PRIMARY KEY ("project_id", "id"),
  FOREIGN KEY ("project_id", "instance_id") REFERENCES "registry_instance"("project_id", "id") ON DELETE CASCADE
);
CREATE INDEX "registry_check_instance_idx" ON "registry_check" ("project_id", "instance_id");

CREATE TABLE "registry_event" (
  "project_id"  uuid NOT NULL,
  "id"          bigint GENERATED ALWAYS AS IDENTITY,
  "instance_id" text NOT NULL,
  "check_id"    text,
  "from_status" text,
  "to_status"   text NOT NULL,
  "output"      text NOT NULL DEFAULT '',
  "at"          timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id")
);
CREATE INDEX "registry_event_instance_idx" ON "registry_event" ("project_id", "instance_id", "at");

CREATE TABLE "registry_index" (
  "project_id" uuid PRIMARY KEY REFERENCES "project"("id") ON DELETE CASCADE,
  "value"      bigint NOT NULL
);

-- Health from telemetry: a rule turns a metric into a check on the instances that emit it.
CREATE TABLE "registry_health_rule" (
  "project_id"     uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"             uuid NOT NULL DEFAULT gen_random_uuid(),
  "name"           text NOT NULL,
  "metric"         text NOT NULL,
  "aggregation"    text NOT NULL CHECK ("aggregation" IN ('last', 'avg', 'max', 'min')),
  "window_seconds" integer NOT NULL CHECK ("window_seconds" BETWEEN 10 AND 86400),
  "comparison"     text NOT NULL CHECK ("comparison" IN ('>', '>=', '<', '<=')),
  "threshold"      double precision NOT NULL,
  "status"         text NOT NULL CHECK ("status" IN ('warning', 'critical')),
  "created_at"     timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id")
);
