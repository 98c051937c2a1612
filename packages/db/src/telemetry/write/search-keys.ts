import type pg from "pg";

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
 * The search hashes of the span row `alias` (with project_id and attributes) for its project's
 * searched keys; NULL when it has none, so the partial index skips it.
 */
export const searchHashesOf = (alias: string) =>
  `(SELECT array_agg(${searchHash("k.key", `${alias}.attributes -> k.key`)})
      FROM span_search_key k
     WHERE k.project_id = ${alias}.project_id AND ${searchable(`${alias}.attributes -> k.key`)})`;

/**
 * How far ahead of the server a client's clock may run and its spans still be found by a key
 * first searched after they were written: spans are written after they end, so one that starts
 * after the key was indexed was written with its hash, unless its clock ran ahead.
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
  return new Map(noted.rows.map((row) => [row.key, BigInt(row.since)]));
}
