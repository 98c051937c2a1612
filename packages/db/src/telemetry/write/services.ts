import type pg from "pg";
import { LruCache } from "../../lru-cache.ts";

export type ServiceIdentity = {
  name: string;
  environment: string;
  instance: string;
  version: string;
  host: string;
  attributes: Record<string, unknown>;
};

export type ServiceRef = { serviceId: bigint; instanceId: bigint };

// Services and instances change rarely and are read for every batch: kept per process, bounded.
const cache = new LruCache<string, { ref: ServiceRef; touched: number }>(50_000);
const TOUCH_EVERY_MS = 60_000;

/**
 * The ids of a service and its instance, created on first sight. `last_seen` is refreshed at most
 * once a minute per instance and process, so the hot path rarely writes here.
 */
export async function resolveService(
  pool: pg.Pool,
  projectId: string,
  identity: ServiceIdentity,
): Promise<ServiceRef> {
  const key = `${projectId}\u0000${identity.name}\u0000${identity.environment}\u0000${identity.instance}\u0000${identity.version}`;
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.touched < TOUCH_EVERY_MS) return hit.ref;

  const service = await pool.query<{ id: string }>(
    `INSERT INTO service (project_id, name, environment) VALUES ($1, $2, $3)
     ON CONFLICT (project_id, name, environment) DO UPDATE SET last_seen = now()
     RETURNING id`,
    [projectId, identity.name, identity.environment],
  );
  const serviceId = BigInt(service.rows[0]?.id ?? 0);
  const instance = await pool.query<{ id: string }>(
    `INSERT INTO service_instance (project_id, service_id, instance, version, host, attributes)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (project_id, service_id, instance, version)
       DO UPDATE SET last_seen = now(), host = EXCLUDED.host, attributes = EXCLUDED.attributes
     RETURNING id`,
    [
      projectId,
      serviceId,
      identity.instance,
      identity.version,
      identity.host,
      JSON.stringify(identity.attributes),
    ],
  );
  const ref = { serviceId, instanceId: BigInt(instance.rows[0]?.id ?? 0) };
  cache.set(key, { ref, touched: now });
  return ref;
}
