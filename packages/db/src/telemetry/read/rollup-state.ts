import type pg from "pg";
import { LATE_NS } from "../rollup/rollups.ts";

/** Where a project's minute rollups stand, for caches of query results over them. */
export type RollupState = {
  /** The first minute still pending a rollup (ms), or null. */
  pendingFromMs: number | null;
  /** Changes when minutes are rolled up late: results over rolled-up minutes may have changed. */
  revision: string;
  /** A minute that ended this long ago (ms) is rolled up late if it is rolled up again. */
  lateMs: number;
};

export async function rollupState(
  pool: Pick<pg.Pool, "query">,
  projectId: string,
): Promise<RollupState> {
  const result = await pool.query<{ pending: number | null; revision: string | null }>(
    `SELECT (SELECT (min(bucket_ns) / 1000000)::float8 FROM metric_rollup_pending
              WHERE project_id = $1 AND resolution = 60) AS pending,
            (SELECT late_minutes::text FROM metric_rollup_revision WHERE project_id = $1) AS revision`,
    [projectId],
  );
  const row = result.rows[0];
  return {
    pendingFromMs: row?.pending ?? null,
    revision: row?.revision ?? "0",
    lateMs: Number(LATE_NS / 1_000_000n),
  };
}
