import type { IncomingMessage, ServerResponse } from "node:http";
import { context } from "@opentelemetry/api";
import { getRPCMetadata, RPCType } from "@opentelemetry/core";

// The little HTTP the shop's services share: JSON in and out, a path router, and calls to other
// services with a deadline. Calls go through fetch, so the agent traces them and carries the
// trace context to the next service.

export class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export type Request = { method: string; path: string; params: string[]; body: unknown };
export type Handler = (request: Request) => Promise<unknown>;
/** `["GET", "/users/:id", handler]`: each `:name` segment becomes one of `params`. */
export type Route = [method: string, path: string, handler: Handler];

function compile(path: string): RegExp {
  return new RegExp(`^${path.replace(/:[a-z]+/gi, "([^/]+)")}$`);
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return null;
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "the body is not JSON");
  }
}

/** A request listener over `routes`; a thrown HttpError becomes its status, anything else 500. */
export function router(routes: Route[]) {
  const compiled = routes.map(([method, path, handler]) => ({
    method,
    path,
    pattern: compile(path),
    handler,
  }));
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://service").pathname;
    try {
      for (const { method, path: route, pattern, handler } of compiled) {
        const match = req.method === method ? pattern.exec(path) : null;
        if (!match) continue;
        // The route names the request's span and its latency series, as a web framework would.
        const rpc = getRPCMetadata(context.active());
        if (rpc?.type === RPCType.HTTP) rpc.route = route;
        const body = await readBody(req);
        send(res, 200, await handler({ method, path, params: match.slice(1), body }));
        return;
      }
      throw new HttpError(404, `no route for ${req.method} ${path}`);
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      send(res, status, { error: error instanceof Error ? error.message : String(error) });
    }
  };
}

/** Calls another service; a non-2xx answer throws an HttpError with its status. */
export async function callJson<T>(
  url: string,
  options: { method?: string; body?: unknown; timeoutMs?: number } = {},
): Promise<T> {
  const response = await fetch(url, {
    method: options.method ?? "GET",
    headers: options.body === undefined ? undefined : { "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(options.timeoutMs ?? 2_000),
  });
  const answer = (await response.json().catch(() => null)) as { error?: string } | null;
  if (!response.ok)
    throw new HttpError(response.status, answer?.error ?? `answered ${response.status}`);
  return answer as T;
}

export const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
