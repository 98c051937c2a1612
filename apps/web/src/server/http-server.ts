import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { BlockList } from "node:net";
import type { Logger } from "pino";
import { handleOtlp } from "../ingest/otlp-handler.ts";
import { handlePrometheus } from "../prometheus/http-api.ts";
import { handleConsul } from "../registry/consul-routes.ts";
import { protectBrowserRequest, setCommonHeaders } from "./browser-protection.ts";
import { CLIENT_IP_HEADER, clientAddress, trustedProxies } from "./client-ip.ts";
import { handleOps, type OpsState } from "./ops-routes.ts";

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** One HTTP server for everything on PORT: the operational routes first, then Next.js. */
export function createControlPlaneServer(options: {
  next: Handler;
  ops: OpsState;
  log: Logger;
  /** Origins browsers reach Vigil at; a cookie-carrying change from any other is refused. */
  trustedOrigins?: () => string[];
  /** Proxies (a load balancer) whose X-Forwarded-For names the client. */
  trustedProxies?: BlockList;
  dev?: boolean;
}): Server {
  const { next, ops, log } = options;
  const proxies = options.trustedProxies ?? trustedProxies(undefined);
  const browser = {
    trustedOrigins: options.trustedOrigins ?? (() => []),
    dev: options.dev ?? false,
  };
  const server = createServer((req, res) => {
    // The client's address as this server saw it (or as a trusted proxy in front of it did),
    // replacing any value the client sent: sign-in rate limits key on it, so it must not be
    // forgeable with a header.
    req.headers[CLIENT_IP_HEADER] = clientAddress(
      req.socket.remoteAddress,
      req.headers["x-forwarded-for"],
      proxies,
    );
    setCommonHeaders(res);
    handleOps(req, res, ops)
      .then((handled) => handled || handleOtlp(req, res, log))
      .then((handled) => handled || handlePrometheus(req, res, log))
      .then((handled) => handled || handleConsul(req, res, log))
      .then((handled) =>
        handled || !protectBrowserRequest(req, res, browser) ? undefined : next(req, res),
      )
      .catch((error: unknown) => {
        log.error({ err: error, url: req.url }, "request failed");
        if (!res.headersSent) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: "internal error" }));
        } else res.destroy();
      });
  });
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout (60 s)
  server.headersTimeout = 66_000;
  return server;
}

export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Stops accepting, lets in-flight requests finish (up to graceMs), then cuts what is left. */
export function drain(server: Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(deadline);
      resolve();
    });
    server.closeIdleConnections();
  });
}
