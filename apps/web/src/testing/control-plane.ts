import type { AddressInfo } from "node:net";
import { readMigrationFiles } from "@vigil/db/migrations";
import pino from "pino";
import { createControlPlaneServer, listen } from "../server/http-server.ts";

/**
 * Vigil's HTTP server (operational routes, OTLP and the registry, without the Next.js UI) on a free
 * port, or the one given, over the test file's database.
 */
export async function startControlPlane(
  port = 0,
): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createControlPlaneServer({
    next: async (_req, res) => {
      res.writeHead(404).end();
    },
    ops: { migrations: await readMigrationFiles(), draining: () => false },
    log: pino({ level: "silent" }),
  });
  await listen(server, port, "127.0.0.1");
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
