import { db } from "@vigil/db";
import type { IngestSetup } from "@vigil/web/testing";

/** The agent's environment for a service talking to this control plane. */
export function agentEnv(plane: IngestSetup, service: string): Record<string, string> {
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
export async function healthOf(plane: IngestSetup, service: string) {
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
