import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

export type Received = { headers: IncomingHttpHeaders; body: string; answered: number };
type Answer = { status: number; headers?: Record<string, string>; body?: string };

/**
 * A real HTTP webhook receiver for tests: records every request, answers what `respond` says
 * (200 by default), and lets a test await the first request that matches.
 */
export async function startWebhookReceiver(host = "127.0.0.1") {
  const received: Received[] = [];
  const waiters: { match: (request: Received) => boolean; resolve: (request: Received) => void }[] =
    [];
  let respond: (request: Omit<Received, "answered">) => Answer = () => ({ status: 200 });
  let connections = 0;
  let holdUntil: Promise<void> | null = null;
  const arrivals: (() => void)[] = [];
  const server = createServer((req, res) => {
    for (const arrived of arrivals.splice(0)) arrived();
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", async () => {
      if (holdUntil) await holdUntil;
      const answer = respond({ headers: req.headers, body });
      res.writeHead(answer.status, answer.headers).end(answer.body ?? "");
      const request = { headers: req.headers, body, answered: answer.status };
      received.push(request);
      for (const waiter of [...waiters]) {
        if (waiter.match(request)) {
          waiters.splice(waiters.indexOf(waiter), 1);
          waiter.resolve(request);
        }
      }
    });
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/hook`,
    port,
    received,
    connections: () => connections,
    answer(with_: (request: Omit<Received, "answered">) => Answer) {
      respond = with_;
    },
    /** Answers nothing until `until` settles (a slow receiver). */
    hold(until: Promise<void>) {
      holdUntil = until;
    },
    /** Resolves when the next request arrives, before it is answered. */
    arrived(): Promise<void> {
      return new Promise((resolve) => arrivals.push(resolve));
    },
    /** The first request (already received or still to come) that matches. */
    next(match: (request: Received) => boolean = () => true): Promise<Received> {
      const seen = received.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ match, resolve }));
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;

/** A received notification's body, parsed once its Standard Webhooks signature verifies. */
export function verifiedBody<T>(secret: string, request: Received): T {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": String(request.headers["webhook-id"]),
    "webhook-timestamp": String(request.headers["webhook-timestamp"]),
    "webhook-signature": String(request.headers["webhook-signature"]),
  }) as T;
}
