import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "./control-plane.ts";
import { createOrgWithProject } from "./fixtures.ts";

export type IngestSetup = {
  url: string;
  port: number;
  projectId: string;
  ingestKey: string;
  /** The test database's connection string (for a scheduler or a child process). */
  databaseUrl: string;
  /** Stops the control plane (the database stays). */
  close(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
};

/**
 * For a test file that sends telemetry: its own database, the control plane's HTTP server
 * (OTLP and registry) on a free port, and a project with an ingest key. Call once at the top of
 * the file; the returned object is filled in by beforeAll.
 */
export function setupIngest(): IngestSetup {
  const database = setupTestDatabase();
  const setup = {} as IngestSetup;
  let server: Awaited<ReturnType<typeof startControlPlane>> | null = null;
  beforeAll(async () => {
    server = await startControlPlane();
    const { projectId } = await createOrgWithProject();
    const key = await createApiKey({ projectId, name: "agent", scope: "ingest" });
    Object.assign(setup, {
      url: server.url,
      port: server.port,
      projectId,
      ingestKey: key.secret,
      databaseUrl: database.url(),
      close: async () => {
        await server?.close();
        server = null;
      },
      restart: async () => {
        server = await startControlPlane(setup.port);
      },
    });
  });
  afterAll(() => server?.close());
  return setup;
}
