import type pg from "pg";
import type { DerivedColumns } from "./staged-copy.ts";

// Span attribute search indexes only the keys a project searches by (span_search_key): for each
// such key a span has with a scalar value, a 64-bit hash of `key=value`. Numbers hash by their
// normalised text (1.50 and 1.5 are one value); a search hashes its values the same way.

/** The hash of attribute `key` (text SQL) with JSON value `value` (jsonb SQL). */
export const searchHash = (key: string, value: string) =>
  `hashtextextended(${key} || '=' || CASE jsonb_typeof(${value}) WHEN 'number' THEN trim_scale((${value})::numeric)::text ELSE ${value} #>> '{}' END, 0)`;

/** Whether `value` (jsonb SQL) is a scalar a search can match: not null, an object or an array. */
export const searchable = (value: string) =>
  `jsonb_typeof(${value}) NOT IN ('null', 'object', 'array')`;

/**
 * The search hashes of row `alias` (with attributes) for `keys` (SQL text expressions): a flat
 * expression, no subquery, as it runs for every span written; NULL when the span has none of the
 * keys, so the partial index skips it.
 */
export function hashesOfKeys(alias: string, keys: string[]): string {
  const hashes = keys.map((key) => {
    const value = `${alias}.attributes -> ${key}`;
    return `CASE WHEN ${searchable(value)} THEN ${searchHash(key, value)} END`;
  });
  return `nullif(array_remove(ARRAY[${hashes.join(", ")}]::bigint[], NULL), '{}')`;
}

const CACHE_MS = 10_000;
const cached = new Map<string, { keys: string[]; at: number }>();

/**
 * The searched keys of each project, as this process last read them (at most CACHE_MS ago; the
 * clock slack covers the difference); projects without keys are absent.
 */
async function searchedKeys(pool: pg.Pool, projectIds: string[]): Promise<Map<string, string[]>> {
  const now = Date.now();
  const stale = projectIds.filter((id) => (cached.get(id)?.at ?? 0) < now - CACHE_MS);
  if (stale.length > 0) {
    const { rows } = await pool.query<{ project_id: string; keys: string[] }>(
      `SELECT p.id AS project_id, coalesce(array_agg(k.key ORDER BY k.key) FILTER (WHERE k.key IS NOT NULL), '{}') AS keys
         FROM unnest($1::uuid[]) p(id) LEFT JOIN span_search_key k ON k.project_id = p.id
        GROUP BY p.id`,
      [stale],
    );
    for (const row of rows) cached.set(row.project_id, { keys: row.keys, at: now });
  }
  const result = new Map<string, string[]>();
  for (const id of projectIds) {
    const keys = cached.get(id)?.keys ?? [];
    if (keys.length > 0) result.set(id, keys);
  }
  return result;
}

/**
 * The `search_hashes` column of a span batch from these projects, computed as PostgreSQL inserts
 * each staged row `s`; null when none of them searches by any key (nothing to compute).
 */
export async function searchHashesColumn(
  pool: pg.Pool,
  projectIds: string[],
): Promise<DerivedColumns | null> {
  const byProject = await searchedKeys(pool, [...new Set(projectIds)]);
  if (byProject.size === 0) return null;
  const params: unknown[] = [];
  const branches = [...byProject].map(([projectId, keys]) => {
    params.push(projectId);
    const project = `$${params.length}::uuid`;
    const keyParams = keys.map((key) => {
      params.push(key);
      return `$${params.length}::text`;
    });
    return `WHEN ${project} THEN ${hashesOfKeys("s", keyParams)}`;
  });
  return {
    columns: [{ column: "search_hashes", sql: `CASE s.project_id ${branches.join(" ")} END` }],
    params,
  };
}

/**
 * How far ahead of the server a client's clock may run and its spans still be found by a key
 * first searched after they were written: spans are written after they end, so one that starts
 * after the key was indexed (and CACHE_MS later, when every replica has read the key) was
 * written with its hash, unless its clock ran ahead.
 */
export const CLOCK_SLACK_NS = 10n * 60_000_000_000n;

/** How many of a project's most recently searched keys are indexed, and for how long. */
export const SEARCH_KEYS = 32;
const SEARCH_KEY_DAYS = 30;

/**
 * Records that a project searched spans by these attribute keys; returns when each began to be
 * indexed (Unix nanoseconds): spans written from then on carry its hashes. The project keeps its
 * SEARCH_KEYS most recently searched keys of the last SEARCH_KEY_DAYS days.
 */
export async function noteSearchedKeys(
  pool: pg.Pool,
  projectId: string,
  keys: string[],
): Promise<Map<string, bigint>> {
  if (keys.length === 0) return new Map();
  const noted = await pool.query<{ key: string; since: string }>(
    `WITH noted AS (
       INSERT INTO span_search_key AS k (project_id, key) SELECT $1, unnest($2::text[])
       ON CONFLICT (project_id, key) DO UPDATE SET last_searched = now()
       RETURNING k.key, (extract(epoch FROM k.first_searched) * 1e9)::bigint::text AS since
     ),
     dropped AS (
       DELETE FROM span_search_key d WHERE d.project_id = $1 AND d.key NOT IN (SELECT key FROM noted)
          AND (d.last_searched < now() - interval '${SEARCH_KEY_DAYS} days'
               OR d.key NOT IN (SELECT key FROM span_search_key WHERE project_id = $1
                                 ORDER BY last_searched DESC LIMIT ${SEARCH_KEYS}))
     )
     SELECT key, since FROM noted`,
    [projectId, [...new Set(keys)]],
  );
  cached.delete(projectId);
  return new Map(noted.rows.map((row) => [row.key, BigInt(row.since)]));
}
