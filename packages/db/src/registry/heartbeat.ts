import type pg from "pg";

/**
 * The registry's hot path: a heartbeat that changes neither status nor output refreshes the check
 * in one statement (and extends a TTL check's expiry). False when something did change (or the
 * check does not exist): the caller then records a real change.
 */
export async function refreshUnchangedCheck(
  pool: pg.Pool,
  projectId: string,
  checkId: string,
  status: string,
  output: string,
): Promise<boolean> {
  const result = await pool.query(
    `UPDATE registry_check
        SET last_checked_at = now(),
            expires_at = CASE WHEN ttl_ms IS NULL THEN expires_at ELSE now() + ttl_ms * interval '1 millisecond' END
      WHERE project_id = $1 AND id = $2 AND status = $3 AND output = $4`,
    [projectId, checkId, status, output],
  );
  return (result.rowCount ?? 0) > 0;
}
