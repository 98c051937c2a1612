import { createHash } from "node:crypto";
import type pg from "pg";
import type { ServiceRef } from "./services.ts";

export type SeriesMeta = {
  name: string;
  type: number;
  unit: string;
  description: string;
  monotonic: boolean;
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

const cache = new Map<string, bigint>();
const MAX_CACHED = 200_000;

/** The id of a series (an instance's metric with one attribute set), created on first sight. */
export async function resolveSeries(
  pool: pg.Pool,
  projectId: string,
  ref: ServiceRef,
  meta: SeriesMeta,
  attributes: Record<string, unknown>,
): Promise<bigint> {
  const json = JSON.stringify(canonical(attributes));
  const hash = createHash("sha1").update(json).digest("base64url");
  const key = `${projectId}\u0000${ref.instanceId}\u0000${meta.name}\u0000${meta.type}\u0000${hash}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const result = await pool.query<{ id: string }>(
    `INSERT INTO metric_series (project_id, service_id, instance_id, name, type, unit, description, monotonic, attributes, attributes_hash)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (project_id, instance_id, name, type, attributes_hash) DO UPDATE SET unit = EXCLUDED.unit
     RETURNING id`,
    [
      projectId,
      ref.serviceId,
      ref.instanceId,
      meta.name,
      meta.type,
      meta.unit,
      meta.description,
      meta.monotonic,
      json,
      hash,
    ],
  );
  const id = BigInt(result.rows[0]?.id ?? 0);
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(key, id);
  return id;
}
