import { context } from "@opentelemetry/api";
import { suppressTracing } from "@opentelemetry/core";

export type ControlPlaneResponse = { status: number; body: string };

/**
 * One request to the control plane's registry API, with a timeout. It is never traced (the
 * service's fetch instrumentation would otherwise record the agent's own heartbeats) and never
 * throws: an unreachable control plane is status 0.
 */
export async function callControlPlane(
  endpoint: string,
  key: string,
  method: "GET" | "PUT",
  path: string,
  body?: unknown,
  timeoutMs = 5_000,
): Promise<ControlPlaneResponse> {
  return context.with(suppressTracing(context.active()), async () => {
    try {
      const response = await fetch(endpoint + path, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      return { status: 0, body: error instanceof Error ? error.message : String(error) };
    }
  });
}
