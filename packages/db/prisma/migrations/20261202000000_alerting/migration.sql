-- Alerting: rules and the alerts they raise, receivers, the routing tree, silences, and the
-- durable outbox of notifications with every delivery attempt.

-- A rule: a metric query or a registry condition (spec, validated by the application), with its
-- timing, labels and annotation templates. next_eval_at tells the leader when it is due.
CREATE TABLE "alert_rule" (
  "project_id"              uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"                      uuid NOT NULL DEFAULT gen_random_uuid(),
  "name"                    text NOT NULL,
  "spec"                    jsonb NOT NULL,
  "interval_seconds"        integer NOT NULL DEFAULT 30,
  "for_seconds"             integer NOT NULL DEFAULT 0,
  "keep_firing_for_seconds" integer NOT NULL DEFAULT 0,
  "labels"                  jsonb NOT NULL DEFAULT '{}',
  "annotations"             jsonb NOT NULL DEFAULT '{}',
  "enabled"                 boolean NOT NULL DEFAULT true,
  "provisioned"             boolean NOT NULL DEFAULT false,
  "next_eval_at"            timestamptz(3) NOT NULL DEFAULT now(),
  "last_eval_at"            timestamptz(3),
  "last_eval_ms"            integer,
  "last_error"              text NOT NULL DEFAULT '',
  "created_at"              timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at"              timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id"),
  UNIQUE ("project_id", "name")
);
CREATE INDEX "alert_rule_due_idx" ON "alert_rule" ("next_eval_at") WHERE "enabled";

-- One alert per rule and label set (its fingerprint) while it is pending, firing or recently
-- resolved. last_true_at holds keep_firing_for; reason says why (e.g. "telemetry stopped").
CREATE TABLE "alert_instance" (
  "project_id"   uuid NOT NULL,
  "rule_id"      uuid NOT NULL,
  "fingerprint"  text NOT NULL,
  "labels"       jsonb NOT NULL,
  "annotations"  jsonb NOT NULL DEFAULT '{}',
  "state"        text NOT NULL,
  "value"        double precision,
  "reason"       text NOT NULL DEFAULT '',
  "active_since" timestamptz(3) NOT NULL,
  "fired_at"     timestamptz(3),
  "last_true_at" timestamptz(3) NOT NULL,
  "resolved_at"  timestamptz(3),
  "updated_at"   timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "rule_id", "fingerprint"),
  FOREIGN KEY ("project_id", "rule_id") REFERENCES "alert_rule"("project_id", "id") ON DELETE CASCADE
);
CREATE INDEX "alert_instance_state_idx" ON "alert_instance" ("project_id", "state");

-- Every state change of every alert: the history.
CREATE TABLE "alert_event" (
  "project_id"  uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"          bigserial NOT NULL,
  "rule_id"     uuid NOT NULL,
  "rule_name"   text NOT NULL,
  "fingerprint" text NOT NULL,
  "labels"      jsonb NOT NULL,
  "from_state"  text NOT NULL,
  "to_state"    text NOT NULL,
  "value"       double precision,
  "reason"      text NOT NULL DEFAULT '',
  "at"          timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id")
);
CREATE INDEX "alert_event_at_idx" ON "alert_event" ("project_id", "at" DESC);
CREATE INDEX "alert_event_rule_idx" ON "alert_event" ("project_id", "rule_id", "at" DESC);

-- A webhook receiver. Its signing secrets and extra headers are sealed (AES-256-GCM under a key
-- that is not in the database); disabled_at is set when it answers 410 Gone.
CREATE TABLE "alert_receiver" (
  "project_id"      uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"              uuid NOT NULL DEFAULT gen_random_uuid(),
  "name"            text NOT NULL,
  "url"             text NOT NULL,
  "headers_sealed"  text,
  "secrets_sealed"  text NOT NULL,
  "body_template"   text,
  "disabled_at"     timestamptz(3),
  "disabled_reason" text NOT NULL DEFAULT '',
  "provisioned"     boolean NOT NULL DEFAULT false,
  "created_at"      timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at"      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id"),
  UNIQUE ("project_id", "name")
);

-- A project's routing tree and inhibition rules (absent: every receiver gets every alert).
CREATE TABLE "alert_config" (
  "project_id"    uuid PRIMARY KEY REFERENCES "project"("id") ON DELETE CASCADE,
  "route"         jsonb,
  "inhibit_rules" jsonb,
  "provisioned"   boolean NOT NULL DEFAULT false,
  "updated_at"    timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE "alert_silence" (
  "project_id"  uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "id"          uuid NOT NULL DEFAULT gen_random_uuid(),
  "matchers"    jsonb NOT NULL,
  "starts_at"   timestamptz(3) NOT NULL,
  "ends_at"     timestamptz(3) NOT NULL,
  "created_by"  text NOT NULL,
  "comment"     text NOT NULL DEFAULT '',
  "provisioned" boolean NOT NULL DEFAULT false,
  "created_at"  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "id")
);

-- An aggregation group of a receiver (route + group_by values): when it is next due and what
-- its last notification said (fingerprint -> firing|resolved).
CREATE TABLE "alert_group" (
  "project_id"     uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "receiver_id"    uuid NOT NULL,
  "group_key"      text NOT NULL,
  "group_labels"   jsonb NOT NULL,
  "created_at"     timestamptz(3) NOT NULL DEFAULT now(),
  "next_flush_at"  timestamptz(3),
  "last_flush_at"  timestamptz(3),
  "last_notified"  jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY ("project_id", "receiver_id", "group_key"),
  FOREIGN KEY ("project_id", "receiver_id") REFERENCES "alert_receiver"("project_id", "id") ON DELETE CASCADE
);

-- The outbox: one row per notification, written in the transaction that records its group as
-- notified. id is the webhook-id, the same on every attempt.
CREATE TABLE "alert_notification" (
  "project_id"      uuid NOT NULL,
  "id"              text NOT NULL,
  "receiver_id"     uuid NOT NULL,
  "group_key"       text NOT NULL,
  "status"          text NOT NULL DEFAULT 'pending',
  "alert_status"    text NOT NULL,
  "alerts"          integer NOT NULL,
  "body"            text NOT NULL,
  "attempts"        integer NOT NULL DEFAULT 0,
  "next_attempt_at" timestamptz(3) NOT NULL DEFAULT now(),
  "lease_until"     timestamptz(3),
  "last_error"      text NOT NULL DEFAULT '',
  "created_at"      timestamptz(3) NOT NULL DEFAULT now(),
  "finished_at"     timestamptz(3),
  PRIMARY KEY ("project_id", "id"),
  FOREIGN KEY ("project_id", "receiver_id") REFERENCES "alert_receiver"("project_id", "id") ON DELETE CASCADE
);
CREATE INDEX "alert_notification_due_idx" ON "alert_notification" ("next_attempt_at") WHERE "status" = 'pending';
CREATE INDEX "alert_notification_receiver_idx" ON "alert_notification" ("project_id", "receiver_id", "created_at" DESC);

-- Every delivery attempt: what the receiver answered and how long it took.
CREATE TABLE "alert_delivery_attempt" (
  "project_id"       uuid NOT NULL,
  "id"               bigserial NOT NULL,
  "notification_id"  text NOT NULL,
  "at"               timestamptz(3) NOT NULL DEFAULT now(),
  "status_code"      integer,
  "latency_ms"       integer NOT NULL,
  "outcome"          text NOT NULL,
  "error"            text NOT NULL DEFAULT '',
  "response_excerpt" text NOT NULL DEFAULT '',
  PRIMARY KEY ("project_id", "id"),
  FOREIGN KEY ("project_id", "notification_id") REFERENCES "alert_notification"("project_id", "id") ON DELETE CASCADE
);
CREATE INDEX "alert_delivery_attempt_notification_idx" ON "alert_delivery_attempt" ("project_id", "notification_id", "at");
