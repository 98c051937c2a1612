// A query's time budget: Prometheus's `timeout` parameter, at most the 2 minutes of its
// --query.timeout default. Every statement the query sends runs with the time left as its
// statement_timeout, so a heavy query gives up with a timeout error instead of holding a pooled
// connection and a core for as long as it likes.
import type pg from "pg";
import { PromQLError } from "./promql/ast.ts";

export const QUERY_TIMEOUT_MS = 120_000;
const QUERY_CANCELED = "57014";

const timedOut = () => new PromQLError("timeout", "query timed out in query execution");

/**
 * Reads through `pool` that give up at `deadlineMs` (epoch ms), as a PromQLError of type
 * timeout; each statement takes a connection of its own, so reads still run side by side.
 */
export function readsUntil(pool: pg.Pool, deadlineMs: number): Pick<pg.Pool, "query"> {
  const query = async (text: string, values?: unknown[]) => {
    if (Date.now() >= deadlineMs) throw timedOut();
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      // The time left once a connection is free: waiting for one counts against the budget.
      const left = Math.floor(deadlineMs - Date.now());
      if (left <= 0) throw timedOut();
      await client.query(`SET statement_timeout = ${left}`);
      return await client.query(text, values);
    } catch (error) {
      if ((error as { code?: string }).code === QUERY_CANCELED) throw timedOut();
      throw error;
    } finally {
      // A connection that cannot be reset is not returned to the pool with the budget on it.
      await client.query("RESET statement_timeout").catch((error: Error) => {
        broken = error;
      });
      client.release(broken);
    }
  };
  return { query } as unknown as Pick<pg.Pool, "query">;
}

/** The deadline of a query asked at `nowMs` with the `timeout` parameter's milliseconds, if any. */
export function deadlineOf(nowMs: number, timeoutMs: number | undefined): number {
  return nowMs + Math.min(timeoutMs ?? QUERY_TIMEOUT_MS, QUERY_TIMEOUT_MS);
}
