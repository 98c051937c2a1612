import type { AddressInfo } from "node:net";
import { readMigrationFiles } from "@vigil/db/migrations";
import pino from "pino";
import { createControlPlaneServer, listen } from "../server/http-server.ts";

/**
 * Vigil's HTTP server (operational routes and OTLP, without the Next.js UI) on a free port, over
 * the test file's database.
 */
export async function startControlPlane(): Promise<{ url: string; close(): Promise<void> }> {
  const server = createControlPlaneServer({
    next: async (_req, res) => {
      res.writeHead(404).end();
    },
    ops: { migrations: await readMigrationFiles(), draining: () => false },
    log: pino({ level: "silent" }),
  });
  await listen(server, 0, "127.0.0.1");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
