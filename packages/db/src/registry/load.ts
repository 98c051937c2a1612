import type pg from "pg";

/** Stores the load an instance reported with a heartbeat; moves no index (load changes constantly). */
export async function recordLoad(
  pool: pg.Pool,
  projectId: string,
  checkId: string,
  load: { inFlight?: number; cpu?: number },
): Promise<void> {
  await pool.query(
    `UPDATE registry_instance i SET load = $3::jsonb
       FROM registry_check c
      WHERE c.project_id = $1 AND c.id = $2 AND i.project_id = c.project_id AND i.id = c.instance_id`,
    [projectId, checkId, JSON.stringify({ ...load, updatedAt: new Date().toISOString() })],
  );
}
