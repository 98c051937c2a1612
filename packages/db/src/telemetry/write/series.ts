import { createHash } from "node:crypto";
import type pg from "pg";
import { LruCache } from "../../lru-cache.ts";
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
  /** Arrived in Prometheus's model: its name and attributes are Prometheus's name and labels. */
  prometheus?: boolean;
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
 * What identifies a series: the cache key, the attributes, and the shape. Temporality and bucket
 * layout are part of it: points of another temporality or layout are another series, so
 * increases are only ever taken between points that can be subtracted. The key takes the
 * attributes in the order they came (one set sent in two orders has two keys for one id); the
 * stored hash is over their canonical form, computed only when the series is not cached.
 */
export type SeriesKey = { key: string; attributes: Record<string, unknown>; shape: string };

/** JSON with keys sorted at every level, so equal sets hash equally (flat sets skip the copy). */
function canonicalJson(attributes: Record<string, unknown>): string {
  const keys = Object.keys(attributes).sort();
  for (const key of keys) {
    const value = attributes[key];
    if (value !== null && typeof value === "object") return JSON.stringify(canonical(attributes));
  }
  return JSON.stringify(attributes, keys);
}

/** Whether two bucket layouts are the same numbers. */
export function sameNumbers(a: number[] | null, b: number[] | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// The shapes made lately and what they were made of: a request holds a few metric types and
// bucket layouts, repeated point after point, so a short list answers nearly every call.
type Shape = { cumulative: boolean; bounds: number[] | null; shape: string };
const shapes: Shape[] = [];
/** Temporality and bucket layout as a key part (empty for gauges and deltas, as before them). */
function shapeOf(meta: SeriesMeta): string {
  for (const known of shapes)
    if (known.cumulative === meta.cumulative && sameNumbers(known.bounds, meta.bounds))
      return known.shape;
  const shape =
    meta.cumulative || meta.bounds ? `\u0000${meta.cumulative}\u0000${meta.bounds}` : "";
  if (shapes.length >= 8) shapes.pop();
  shapes.unshift({ cumulative: meta.cumulative, bounds: meta.bounds, shape });
  return shape;
}

/**
 * The series key of a point. A service instance belongs to one project, so its id scopes the key
 * (the project's id would only lengthen every key hashed on the hot path).
 */
export function seriesKey(
  ref: ServiceRef,
  meta: SeriesMeta,
  attributes: Record<string, unknown>,
): SeriesKey {
  const shape = shapeOf(meta);
  const key = `${ref.instanceId}\u0000${meta.name}\u0000${meta.type}${shape}\u0000${JSON.stringify(attributes)}`;
  return { key, attributes, shape };
}

const hashOf = (series: SeriesKey) =>
  createHash("sha1")
    .update(canonicalJson(series.attributes) + series.shape)
    .digest("base64url");

/** How many new series may still be created (a project's limit); existing ones always resolve. */
export type SeriesBudget = { left(): boolean; spend(): void };
const unlimited: SeriesBudget = { left: () => true, spend: () => {} };

/** The id of a series resolved before, without a round trip (the hot path's common case). */
export function cachedSeries(series: SeriesKey): bigint | undefined {
  return cache.get(series.key);
}

/** A series a request needs: its service instance, what it is and its key. */
export type WantedSeries = { ref: ServiceRef; meta: SeriesMeta; series: SeriesKey };

type Found = {
  id: string;
  instance_id: string;
  name: string;
  type: number;
  attributes_hash: string;
};
const foundKey = (instanceId: bigint | string, name: string, type: number, hash: string) =>
  `${instanceId}\u0000${name}\u0000${type}\u0000${hash}`;

/**
 * The ids of many series at once, in order: cached ones without a round trip, the rest with one
 * look-up, and those that do not exist created with one insert while the budget has room (null
 * for one that may not be created). A request's first export of hundreds of series costs two
 * statements, not one per series.
 */
export async function resolveSeriesMany(
  pool: pg.Pool,
  projectId: string,
  wanted: WantedSeries[],
  budget: SeriesBudget = unlimited,
): Promise<(bigint | null)[]> {
  const ids: (bigint | null)[] = new Array(wanted.length);
  const missing = new Map<string, WantedSeries & { hash: string }>();
  for (let i = 0; i < wanted.length; i++) {
    const item = wanted[i] as WantedSeries;
    const id = cachedSeries(item.series);
    ids[i] = id ?? null;
    if (id === undefined && !missing.has(item.series.key))
      missing.set(item.series.key, { ...item, hash: hashOf(item.series) });
  }
  if (missing.size > 0) {
    const misses = [...missing.values()];
    const keyOf = (m: (typeof misses)[number]) =>
      foundKey(m.ref.instanceId, m.meta.name, m.meta.type, m.hash);
    const found = new Map<string, string>();
    const remember = (rows: Found[]) => {
      for (const row of rows)
        found.set(foundKey(row.instance_id, row.name, row.type, row.attributes_hash), row.id);
    };
    const existing = await pool.query<Found>(
      `SELECT s.id, s.instance_id, s.name, s.type, s.attributes_hash FROM metric_series s
         JOIN unnest($2::bigint[], $3::text[], $4::smallint[], $5::text[]) AS k(instance_id, name, type, attributes_hash)
           USING (instance_id, name, type, attributes_hash)
        WHERE s.project_id = $1`,
      [
        projectId,
        misses.map((m) => m.ref.instanceId.toString()),
        misses.map((m) => m.meta.name),
        misses.map((m) => m.meta.type),
        misses.map((m) => m.hash),
      ],
    );
    remember(existing.rows);
    const create = [];
    for (const m of misses) {
      if (found.has(keyOf(m)) || !budget.left()) continue;
      budget.spend();
      create.push(m);
    }
    if (create.length > 0) {
      const created = await pool.query<Found>(
        `INSERT INTO metric_series (project_id, service_id, instance_id, name, type, unit, description, monotonic, cumulative, bounds, attributes, attributes_hash, prometheus)
         SELECT $1, s.service_id, s.instance_id, s.name, s.type, s.unit, s.description, s.monotonic, s.cumulative, s.bounds, s.attributes, s.attributes_hash, s.prometheus
           FROM jsonb_to_recordset($2::jsonb) AS s(service_id bigint, instance_id bigint, name text, type smallint, unit text,
                description text, monotonic boolean, cumulative boolean, bounds float8[], attributes jsonb, attributes_hash text, prometheus boolean)
         ON CONFLICT (project_id, instance_id, name, type, attributes_hash) DO UPDATE SET unit = EXCLUDED.unit
         RETURNING id, instance_id, name, type, attributes_hash`,
        [
          projectId,
          JSON.stringify(
            create.map(({ ref, meta, series, hash }) => ({
              service_id: ref.serviceId.toString(),
              instance_id: ref.instanceId.toString(),
              name: meta.name,
              type: meta.type,
              unit: meta.unit,
              description: meta.description,
              monotonic: meta.monotonic,
              cumulative: meta.cumulative,
              bounds: meta.bounds,
              attributes: series.attributes,
              attributes_hash: hash,
              prometheus: meta.prometheus ?? false,
            })),
          ),
        ],
      );
      remember(created.rows);
    }
    for (const m of misses) {
      const id = found.get(keyOf(m));
      if (id !== undefined) cache.set(m.series.key, BigInt(id));
    }
    for (let i = 0; i < wanted.length; i++)
      if (ids[i] === null) ids[i] = cachedSeries((wanted[i] as WantedSeries).series) ?? null;
  }
  return ids;
}

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
  const [id] = await resolveSeriesMany(pool, projectId, [{ ref, meta, series }], budget);
  return id ?? null;
}
