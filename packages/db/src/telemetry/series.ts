import { createHash } from "node:crypto";
import type pg from "pg";
import { LruCache } from "../lru-cache.ts";
import type { ServiceRef } from "./services.ts";

export type SeriesMeta = {
  name: string;
  type: number;
  unit: string;
  description: string;
  monotonic: boolean;
  /** Points carry running totals since their start time (readers take increases). */
  cumulative: boolean;
  /** A histogram's bucket upper bounds; null for every other type. */
  bounds: number[] | null;
};

/** Attributes in a canonical form (keys sorted at every level), so equal sets hash equally. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, canonical((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

const cache = new LruCache<string, bigint>(200_000);

/**
 * What identifies a series: the canonical attributes, their hash and the cache key. Temporality
 * and bucket layout are part of the hash: points of another temporality or layout are another
 * series, so increases are only ever taken between points that can be subtracted.
 */
export type SeriesKey = { key: string; json: string; hash: string };

export function seriesKey(
  projectId: string,
  ref: ServiceRef,
  meta: SeriesMeta,
  attributes: Record<string, unknown>,
): SeriesKey {
  const json = JSON.stringify(canonical(attributes));
  const shape =
    meta.cumulative || meta.bounds ? `\u0000${meta.cumulative}\u0000${meta.bounds}` : "";
  const hash = createHash("sha1")
    .update(json + shape)
    .digest("base64url");
  const key = `${projectId}\u0000${ref.instanceId}\u0000${meta.name}\u0000${meta.type}\u0000${hash}`;
  return { key, json, hash };
}

/** How many new series may still be created (a project's limit); existing ones always resolve. */
export type SeriesBudget = { left(): boolean; spend(): void };
const unlimited: SeriesBudget = { left: () => true, spend: () => {} };

/**
 * The id of a series (an instance's metric with one attribute set), created on first sight while
 * the budget has room; null for a series that does not exist and may not be created.
 */
export async function resolveSeries(
  pool: pg.Pool,
  projectId: string,
  ref: ServiceRef,
  meta: SeriesMeta,
  series: SeriesKey,
  budget: SeriesBudget = unlimited,
): Promise<bigint | null> {
  const hit = cache.get(series.key);
  if (hit !== undefined) return hit;
  let id: string | undefined;
  if (budget.left()) {
    const result = await pool.query<{ id: string; created: boolean }>(
      `INSERT INTO metric_series (project_id, service_id, instance_id, name, type, unit, description, monotonic, cumulative, bounds, attributes, attributes_hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (project_id, instance_id, name, type, attributes_hash) DO UPDATE SET unit = EXCLUDED.unit
       RETURNING id, (xmax = 0) AS created`,
      [
        projectId,
        ref.serviceId,
        ref.instanceId,
        meta.name,
        meta.type,
        meta.unit,
        meta.description,
        meta.monotonic,
        meta.cumulative,
        meta.bounds,
        series.json,
        series.hash,
      ],
    );
    id = result.rows[0]?.id;
    if (result.rows[0]?.created) budget.spend();
  } else {
    const result = await pool.query<{ id: string }>(
      `SELECT id FROM metric_series
       WHERE project_id = $1 AND instance_id = $2 AND name = $3 AND type = $4 AND attributes_hash = $5`,
      [projectId, ref.instanceId, meta.name, meta.type, series.hash],
    );
    id = result.rows[0]?.id;
    if (id === undefined) return null;
  }
  const resolved = BigInt(id ?? 0);
  cache.set(series.key, resolved);
  return resolved;
}
