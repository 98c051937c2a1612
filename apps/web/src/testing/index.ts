// What other workspaces' tests need to run against a real control plane.
export { createApiKey } from "../domain/keys/api-keys.ts";
export { startControlPlane } from "./control-plane.ts";
export { createOrgWithProject } from "./fixtures.ts";
export { type IngestSetup, setupIngest } from "./ingest-setup.ts";
