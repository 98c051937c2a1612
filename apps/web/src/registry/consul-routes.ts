import type { IncomingMessage, ServerResponse } from "node:http";
import { isRowRefused } from "@vigil/db";
import { storableText } from "@vigil/otel";
import type { Logger } from "pino";
import { DomainError } from "../domain/errors.ts";
import { authenticateApiKey } from "../domain/keys/api-keys.ts";
import { parseDuration } from "../lib/duration.ts";
import { waitForChange } from "./changes.ts";
import { loadMeta, reportLoad } from "./load.ts";
import {
  catalogServices,
  currentIndex,
  deregisterInstance,
  registerInstance,
  type Status,
  serviceHealth,
  updateCheck,
} from "./registry.ts";

const NODE = "vigil";
const DEFAULT_WAIT_MS = 5 * 60_000;
const MAX_WAIT_MS = 10 * 60_000;
const MAX_BODY = 1024 * 1024;
const MAX_OUTPUT = 4096; // Consul's default check_output_max_size

type Instance = Awaited<ReturnType<typeof serviceHealth>>[number];

/** An instance in the shape of Consul's /v1/health/service entries. */
function healthEntry(instance: Instance) {
  return {
    Node: { ID: NODE, Node: NODE, Address: "127.0.0.1", Datacenter: "vigil", Meta: {} },
    Service: {
      ID: instance.id,
      Service: instance.service,
      Tags: instance.tags,
      Address: instance.address,
      Port: instance.port,
      Meta: { ...(instance.meta as Record<string, string>), ...loadMeta(instance.load) },
      CreateIndex: Number(instance.createIndex),
      ModifyIndex: Number(instance.modifyIndex),
    },
    Checks: instance.checks.map((check) => ({
      Node: NODE,
      CheckID: check.id,
      Name: check.name,
      Status: check.status,
      Notes: check.notes,
      Output: check.output,
      ServiceID: instance.id,
      ServiceName: instance.service,
      ServiceTags: instance.tags,
      Type: check.kind,
      CreateIndex: Number(check.createIndex),
      ModifyIndex: Number(check.modifyIndex),
    })),
  };
}

/** The path's segments after /v1, decoded; a malformed %-escape or a NUL is the client's error. */
function pathSegments(pathname: string): string[] {
  return pathname
    .split("/")
    .slice(2)
    .map((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        throw new DomainError(
          "BAD_REQUEST",
          `Invalid path: "${segment}" holds a malformed %-escape`,
        );
      }
      if (decoded.includes("\0"))
        throw new DomainError("BAD_REQUEST", "Invalid path: a segment holds a NUL character");
      return decoded;
    });
}

/** A check's output as Consul keeps it: text, at most 4 KiB, with NUL replaced. */
function checkOutput(value: unknown): string {
  const text = typeof value === "string" ? value : value == null ? "" : String(value);
  return storableText(text.slice(0, MAX_OUTPUT));
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY)
      throw new DomainError("BAD_REQUEST", "Request body too large (1 MiB at most)");
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (!text) return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed))
      throw new Error("not an object");
    return parsed as Record<string, unknown>;
  } catch {
    throw new DomainError("BAD_REQUEST", "Request decode failed: the body must be a JSON object");
  }
}

/**
 * The Consul-compatible subset Vigil serves (PROTOCOLS.md): agent registration and checks,
 * health and catalog reads with blocking queries. False when the path is not one of them.
 */
export async function handleConsul(
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://vigil");
  if (
    !url.pathname.startsWith("/v1/agent/") &&
    !url.pathname.startsWith("/v1/health/") &&
    !url.pathname.startsWith("/v1/catalog/")
  )
    return false;
  const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "content-type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
      ...headers,
    });
    res.end(text);
  };
  try {
    const token =
      (req.headers["x-consul-token"] as string | undefined) ??
      /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1];
    const key = await authenticateApiKey(token?.trim(), "ingest");
    if (!key.ok) {
      send(403, "ACL not found: send an ingest key in X-Consul-Token or Authorization: Bearer");
      return true;
    }
    const projectId = key.principal.projectId;
    const segments = pathSegments(url.pathname);
    const route = `${req.method} ${segments.slice(0, 3).join("/")}`;

    if (route === "PUT agent/service/register") {
      await registerInstance(projectId, await readJson(req));
      send(200, "");
    } else if (
      req.method === "PUT" &&
      segments[0] === "agent" &&
      segments[1] === "service" &&
      segments[2] === "deregister" &&
      segments[3]
    ) {
      await deregisterInstance(projectId, segments[3]);
      send(200, "");
    } else if (
      req.method === "PUT" &&
      segments[0] === "agent" &&
      segments[1] === "check" &&
      segments[3]
    ) {
      const action = segments[2];
      const fixed: Record<string, Status> = { pass: "passing", warn: "warning", fail: "critical" };
      if (action && action in fixed) {
        await updateCheck(
          projectId,
          segments[3],
          fixed[action] as Status,
          checkOutput(url.searchParams.get("note")),
        );
      } else if (action === "update") {
        const body = await readJson(req);
        const status = String(body.Status ?? "");
        if (!["passing", "warning", "critical"].includes(status))
          throw new DomainError("BAD_REQUEST", "Status must be passing, warning or critical");
        await updateCheck(projectId, segments[3], status as Status, checkOutput(body.Output));
        if (body.Load !== undefined) await reportLoad(projectId, segments[3], body.Load);
      } else {
        send(404, `Unknown check action "${action}"`);
        return true;
      }
      send(200, "");
    } else if (
      req.method === "GET" &&
      ((segments[0] === "health" && segments[1] === "service" && segments[2]) ||
        url.pathname === "/v1/catalog/services")
    ) {
      const index = await blockIfAsked(projectId, url);
      if (index === null) {
        send(400, "Invalid wait time: use a duration such as 30s, at most 10m");
        return true;
      }
      const headers = {
        "x-consul-index": String(index),
        "x-consul-knownleader": "true",
        "x-consul-lastcontact": "0",
      };
      if (segments[0] === "catalog") send(200, await catalogServices(projectId), headers);
      else {
        const passing =
          url.searchParams.has("passing") && url.searchParams.get("passing") !== "false";
        const tag = url.searchParams.get("tag") ?? undefined;
        send(
          200,
          (await serviceHealth(projectId, segments[2] as string, { passing, tag })).map(
            healthEntry,
          ),
          headers,
        );
      }
    } else {
      return false;
    }
  } catch (error) {
    if (error instanceof DomainError) send(error.code === "NOT_FOUND" ? 404 : 400, error.message);
    else if (isRowRefused(error))
      send(
        400,
        `Invalid request: the registry cannot store a value of it (${(error as Error).message})`,
      );
    else {
      log.warn({ err: error }, "registry request failed");
      send(503, "Vigil's registry storage is unavailable; retry", { "retry-after": "1" });
    }
  }
  return true;
}

/**
 * A blocking read (?index=N&wait=30s) waits until the registry index moves past N or the wait
 * ends (default 5 min, at most 10); returns the index to answer with, or null for a bad wait.
 */
async function blockIfAsked(projectId: string, url: URL): Promise<bigint | null> {
  const current = await currentIndex(projectId);
  const asked = url.searchParams.get("index");
  if (asked === null || !/^\d+$/.test(asked) || BigInt(asked) < current) return current;
  const wait = url.searchParams.get("wait");
  const waitMs = wait === null ? DEFAULT_WAIT_MS : parseDuration(wait);
  if (waitMs === null) return null;
  await waitForChange(projectId, BigInt(asked), Math.min(waitMs, MAX_WAIT_MS));
  return currentIndex(projectId);
}
