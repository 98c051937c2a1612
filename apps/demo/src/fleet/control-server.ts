import { createServer, type IncomingMessage, type Server } from "node:http";
import { send } from "../platform/http.ts";
import { IncidentError, type Incidents } from "./incidents.ts";
import type { WebhookInbox } from "./webhook-inbox.ts";

// The fleet's own small API on 127.0.0.1, used by the control plane's Demo panel and by the CLI:
//   GET  /status              what is switched on, the instances, the gateway's view, alerts received
//   POST /incidents/{name}    {"on": true|false, "service"?, "instance"?, "value"?}
//   POST /webhook             Vigil's alert deliveries (signed)

const MAX_BODY = 1024 * 1024;

async function readText(req: IncomingMessage): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new IncidentError("the body is over 1 MiB");
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export function controlServer(options: {
  incidents: Incidents;
  inbox: WebhookInbox;
  status: () => Promise<unknown>;
}): Server {
  return createServer(async (req, res) => {
    const path = new URL(req.url ?? "/", "http://fleet").pathname;
    try {
      if (req.method === "GET" && path === "/status") return send(res, 200, await options.status());
      if (req.method === "POST" && path === "/webhook") {
        res.writeHead(options.inbox.accept(await readText(req), req.headers)).end();
        return;
      }
      const incident = /^\/incidents\/([a-z-]+)$/.exec(path);
      if (req.method === "POST" && incident) {
        const text = await readText(req);
        let input: Record<string, unknown> = {};
        try {
          input = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          throw new IncidentError('the body must be JSON, like {"on": true}');
        }
        await options.incidents.set(incident[1] as string, input ?? {});
        return send(res, 200, await options.status());
      }
      send(res, 404, { error: `no route for ${req.method} ${path}` });
    } catch (error) {
      const status = error instanceof IncidentError ? 400 : 500;
      send(res, status, { error: (error as Error).message });
    }
  });
}
