import type pg from "pg";
import { shardCount } from "../../shards/catalog.ts";
import { searchHashesColumn } from "./search-keys.ts";
import { SPAN_COLUMNS, type SpanRow, spanLine } from "./span-rows.ts";
import {
  copyIdempotently,
  ensurePartitionsFor,
  inTransaction,
  type StagedTable,
} from "./staged-copy.ts";

/** A span re-sent within this long of its first start, with another start, is the same span. */
export const SPAN_IDENTITY_WINDOW_NS = 2n * 86_400_000_000_000n;

const spanTable: StagedTable<SpanRow> = {
  table: "span",
  columns: SPAN_COLUMNS,
  line: spanLine,
  timeOf: (row) => row.startNs,
  // OpenTelemetry identifies a span by its trace and span id: one re-sent with another start
  // time (a clock corrected, an SDK that re-stamps) is the same span.
  identity: {
    columns: ["project_id", "trace_id", "span_id"],
    timeColumn: "start_ns",
    withinNs: SPAN_IDENTITY_WINDOW_NS,
  },
};

const shardedSpanTable: StagedTable<SpanRow> = { ...spanTable, identity: undefined };

/**
 * Stores spans in one transaction; a span sent twice (same trace and span id, whatever its start
 * within two days) is stored once. Returns how many spans were new.
 */
export async function writeSpans(pool: pg.Pool, rows: SpanRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  await ensurePartitionsFor(pool, spanTable, rows);
  // Hashes of key=value for the keys each span's project searches by, for span_search_idx.
  const searchHashes = await searchHashesColumn(
    pool,
    rows.map((row) => row.projectId),
  );
  // With shards, the shard holding the trace checks the identity as rows arrive (shards/attach).
  const target = (await shardCount(pool)) > 0 ? shardedSpanTable : spanTable;
  return inTransaction(pool, (client) =>
    copyIdempotently(client, target, rows, searchHashes ?? undefined),
  );
}
