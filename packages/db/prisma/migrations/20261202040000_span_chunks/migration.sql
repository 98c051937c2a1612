-- Spans past their first hour, packed per project, hour and range of trace ids: one row holds
-- about a thousand spans as parallel arrays, sorted by trace, so one trace's spans of an hour
-- sit in one row, the repeated names, keys and values of neighbouring spans compress together,
-- and the per-row header, key and index entries are paid once per thousand spans. Span ids are
-- the 8 bytes of a bigint. An array that would hold only defaults ('' or 0) is NULL.
-- Recent spans stay in span, where ingestion appends them; the compaction job moves closed
-- hours here, and readers see both.
CREATE TABLE "span_chunk" (
  "project_id"         uuid NOT NULL,
  "window_ns"          bigint NOT NULL,
  "seq"                integer NOT NULL,
  "trace_ids"          uuid[],
  "span_ids"           bigint[],
  "parent_ids"         bigint[],
  "starts"             bigint[],
  "durations"          bigint[],
  "service_ids"        bigint[],
  "instance_ids"       bigint[],
  "names"              text[],
  "kinds"              smallint[],
  "statuses"           smallint[],
  "status_messages"    text[],
  "trace_states"       text[],
  "flags"              bigint[],
  "scope_names"        text[],
  "scope_versions"     text[],
  "attributes"         jsonb[],
  "events"             jsonb[],
  "links"              jsonb[],
  "dropped_attributes" integer[],
  "dropped_events"     integer[],
  "dropped_links"      integer[],
  -- The services with spans in this chunk and each one's earliest start: readers that want one
  -- service's spans, or when its data begins, skip or answer from these without unpacking.
  "services"           bigint[],
  "first_starts"       bigint[],
  -- The attribute keys this chunk indexes (the keys its project searches), and a hash of each
  -- key=value pair of those keys among its spans: a search for key=value reads only the chunks
  -- whose hashes hold the pair, or that did not index that key.
  "search_keys"        text[],
  "search_hashes"      bigint[],
  PRIMARY KEY ("project_id", "window_ns", "seq")
) PARTITION BY RANGE ("window_ns");

CREATE INDEX "span_chunk_trace_idx" ON "span_chunk" USING gin ("trace_ids");
CREATE INDEX "span_chunk_search_idx" ON "span_chunk" USING gin ("search_hashes");

-- The span attribute keys a project searches by (its 32 most recent, searched in the last 30
-- days): only these keys' values are indexed, in recent spans as they are written and in the
-- chunks compaction writes. first_searched is when the key joined: spans written before are
-- searched without the index.
CREATE TABLE "span_search_key" (
  "project_id"     uuid NOT NULL REFERENCES "project"("id") ON DELETE CASCADE,
  "key"            text NOT NULL,
  "first_searched" timestamptz(3) NOT NULL DEFAULT now(),
  "last_searched"  timestamptz(3) NOT NULL DEFAULT now(),
  PRIMARY KEY ("project_id", "key")
);

-- Recent spans: the index over every attribute of every span (ten entries a span, merged on the
-- write path) gives way to one over the searched keys' key=value hashes, written with the span.
DROP INDEX "span_attributes_idx";
ALTER TABLE "span" ADD COLUMN "search_hashes" bigint[];
CREATE INDEX "span_search_idx" ON "span" USING gin ("search_hashes") WHERE "search_hashes" IS NOT NULL;
