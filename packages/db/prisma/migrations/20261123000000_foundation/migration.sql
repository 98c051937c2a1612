-- Accounts, tenancy and machine credentials.

CREATE TABLE "user" (
  "id"             text PRIMARY KEY,
  "name"           text NOT NULL,
  "email"          text NOT NULL UNIQUE,
  "email_verified" boolean NOT NULL DEFAULT false,
  "image"          text,
  "created_at"     timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at"     timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE "session" (
  "id"         text PRIMARY KEY,
  "user_id"    text NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
  "token"      text NOT NULL UNIQUE,
  "expires_at" timestamptz(3) NOT NULL,
  "ip_address" text,
  "user_agent" text,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at" timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX "session_user_id_idx" ON "session"("user_id");

CREATE TABLE "account" (
  "id"                       text PRIMARY KEY,
  "user_id"                  text NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
  "account_id"               text NOT NULL,
  "provider_id"              text NOT NULL,
  "access_token"             text,
  "refresh_token"            text,
  "id_token"                 text,
  "access_token_expires_at"  timestamptz(3),
  "refresh_token_expires_at" timestamptz(3),
  "scope"                    text,
  "password"                 text,
  "created_at"               timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at"               timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX "account_user_id_idx" ON "account"("user_id");

CREATE TABLE "verification" (
  "id"         text PRIMARY KEY,
  "identifier" text NOT NULL,
  "value"      text NOT NULL,
  "expires_at" timestamptz(3) NOT NULL,
  "created_at" timestamptz(3) NOT NULL DEFAULT now(),
  "updated_at" timestamptz(3) NOT NULL DEFAULT now()
);
CREATE INDEX "verification_identifier_idx" ON "verification"("identifier");

CREATE TYPE "role" AS ENUM ('admin', 'editor', 'viewer');

CREATE TABLE "organization" (
  "id"         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "name"       text NOT NULL,
  "slug"       text NOT NULL UNIQUE,
  "created_at" timestamptz(3) NOT NULL DEFAULT now()
);

CREATE TABLE "membership" (
  "organization_id" uuid NOT NULL REFERENCES "organization"("id") ON DELETE CASCADE,
  "user_id"         text NOT NULL REFERENCES "user"("id") ON DELETE CASCADE,
  "role"            "role" NOT NULL,
  "created_at"      timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("organization_id", "user_id")
);
CREATE INDEX "membership_user_id_idx" ON "membership"("user_id");

CREATE TABLE "project" (
  "id"              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "organization_id" uuid NOT NULL REFERENCES "organization"("id") ON DELETE CASCADE,
  "name"            text NOT NULL,
  "slug"            text NOT NULL,
  "created_at"      timestamptz(3) NOT NULL DEFAULT now(),
  UNIQUE ("organization_id", "slug")
);

CREATE TYPE "key_scope" AS ENUM ('ingest', 'read', 'admin');

-- The secret is never stored: "hash" is SHA-256 of the whole key, "prefix" is what the UI shows.
CREATE TABLE "api_key" (
  "id"                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  "project_id"         uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "name"               text NOT NULL,
  "scope"              "key_scope" NOT NULL,
  "prefix"             text NOT NULL,
  "hash"               text NOT NULL UNIQUE,
  "created_by_user_id" text REFERENCES "user"("id") ON DELETE SET NULL,
  "created_at"         timestamptz(3) NOT NULL DEFAULT now(),
  "last_used_at"       timestamptz(3),
  "revoked_at"         timestamptz(3)
);
CREATE INDEX "api_key_project_id_idx" ON "api_key"("project_id");

CREATE TABLE "instance_setting" (
  "key"        text PRIMARY KEY,
  "value"      text NOT NULL,
  "created_at" timestamptz(3) NOT NULL DEFAULT now()
);
