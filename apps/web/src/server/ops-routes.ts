import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { db } from "@vigil/db";
import { type MigrationFile, migrationStatus } from "@vigil/db/migrations";
import { selfMetrics } from "../ingest/stats.ts";
import { redis, redisProblem } from "../lib/redis.ts";

export type OpsState = {
  migrations: MigrationFile[];
  draining(): boolean;
  /** When set, /metrics answers only `Authorization: Bearer <token>` (VIGIL_METRICS_TOKEN). */
  metricsToken?: string;
};

/**
 * /healthz: the process is up. /readyz: it can serve (database reachable and migrated; Redis's
 * state is reported, not required).
 * /metrics: Vigil's own metrics in Prometheus text format (behind a bearer token when one is set).
 */
export async function handleOps(
  req: IncomingMessage,
  res: ServerResponse,
  state: OpsState,
): Promise<boolean> {
  const path = req.url?.split("?")[0];
  if (path === "/healthz") {
    json(res, 200, { status: "ok" });
    return true;
  }
  if (path === "/metrics") {
    if (state.metricsToken && !bearerMatches(req.headers.authorization, state.metricsToken)) {
      res.writeHead(401, { "content-type": "text/plain", "www-authenticate": "Bearer" });
      res.end("send the metrics token (VIGIL_METRICS_TOKEN) as Authorization: Bearer <token>\n");
      return true;
    }
    res.writeHead(200, {
      "content-type": selfMetrics.registry.contentType,
      "cache-control": "no-store",
    });
    res.end(await selfMetrics.registry.metrics());
    return true;
  }
  if (path !== "/readyz") return false;
  if (state.draining()) {
    json(res, 503, { status: "shutting down" });
    return true;
  }
  try {
    const status = await migrationStatus(db().pool, state.migrations);
    if (status.pending.length > 0) {
      json(res, 503, { status: "migrations pending", pending: status.pending });
      return true;
    }
    // Redis is optional: a replica without it still serves everything, so an unreachable Redis
    // is reported here but does not take the replica out of rotation.
    const client = redis();
    const redisIssue = client ? await redisProblem(client) : null;
    json(res, 200, {
      status: "ready",
      migrations: status.applied,
      redis: !client ? "not configured" : redisIssue ? `unreachable: ${redisIssue}` : "ok",
    });
  } catch (error) {
    json(res, 503, {
      status: "database unreachable",
      error: error instanceof Error ? error.message : String(error),
    });
  }
  return true;
}

function bearerMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(/^Bearer\s+(.+)$/i.exec(header ?? "")?.[1]?.trim() ?? "");
  const expected = Buffer.from(token);
  return presented.length === expected.length && timingSafeEqual(presented, expected);
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(text);
}
