import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { createApiKey, createOrgWithProject, startControlPlane } from "@vigil/web/testing";
import { afterAll, beforeAll } from "vitest";

export type ControlPlane = {
  url: string;
  port: number;
  projectId: string;
  ingestKey: string;
  /** Stops the control plane (the database stays). */
  close(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
};

/**
 * A real control plane (OTLP and registry) over the test file's own database, with a project
 * and an ingest key. Call once at the top of a test file.
 */
export function setupControlPlane(): ControlPlane {
  setupTestDatabase();
  const plane = {} as ControlPlane;
  let server: Awaited<ReturnType<typeof startControlPlane>> | null = null;
  beforeAll(async () => {
    server = await startControlPlane();
    const { projectId } = await createOrgWithProject();
    const key = await createApiKey({ projectId, name: "agent", scope: "ingest" });
    Object.assign(plane, {
      url: server.url,
      port: server.port,
      projectId,
      ingestKey: key.secret,
      close: async () => {
        await server?.close();
        server = null;
      },
      restart: async () => {
        server = await startControlPlane(plane.port);
      },
    });
  });
  afterAll(() => server?.close());
  return plane;
}

/** The agent's environment for a service talking to this control plane. */
export function agentEnv(plane: ControlPlane, service: string): Record<string, string> {
  return {
    VIGIL_ENDPOINT: plane.url,
    VIGIL_KEY: plane.ingestKey,
    OTEL_SERVICE_NAME: service,
    OTEL_RESOURCE_ATTRIBUTES: "service.version=1.4.2,deployment.environment.name=test",
    VIGIL_HEARTBEAT_INTERVAL_MS: "300",
    OTEL_METRIC_EXPORT_INTERVAL: "300",
  };
}

export const pool = () => db().pool;

/** The registry's view of a service, as a Consul client sees it. */
export async function healthOf(plane: ControlPlane, service: string) {
  const response = await fetch(`${plane.url}/v1/health/service/${service}`, {
    headers: { "x-consul-token": plane.ingestKey },
  });
  if (response.status !== 200) throw new Error(`health: HTTP ${response.status}`);
  return (await response.json()) as {
    Service: {
      ID: string;
      Service: string;
      Address: string;
      Port: number;
      Meta: Record<string, string>;
    };
    Checks: { CheckID: string; Status: string; Output: string }[];
  }[];
}

/** Unix nanoseconds of a Date.now()-style millisecond time. */
export const ns = (ms: number) => BigInt(ms) * 1_000_000n;
