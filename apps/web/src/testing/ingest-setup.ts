import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "./control-plane.ts";
import { createOrgWithProject } from "./fixtures.ts";

export type IngestSetup = { url: string; projectId: string; ingestKey: string };

/**
 * For a test file that sends telemetry: its own database, the control plane's HTTP server on a
 * free port, and a project with an ingest key. The returned object is filled in by beforeAll.
 */
export function setupIngest(): IngestSetup {
  setupTestDatabase();
  const setup = {} as IngestSetup;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    const server = await startControlPlane();
    close = server.close;
    const { projectId } = await createOrgWithProject();
    const key = await createApiKey({ projectId, name: "agent", scope: "ingest" });
    Object.assign(setup, { url: server.url, projectId, ingestKey: key.secret });
  });
  afterAll(() => close?.());
  return setup;
}
