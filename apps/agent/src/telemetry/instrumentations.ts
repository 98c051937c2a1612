import type { Instrumentation } from "@opentelemetry/instrumentation";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { FastifyInstrumentation } from "@opentelemetry/instrumentation-fastify";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { PgInstrumentation } from "@opentelemetry/instrumentation-pg";
import { UndiciInstrumentation } from "@opentelemetry/instrumentation-undici";

/**
 * The default set, chosen for what most services need at low cost: outbound HTTP (node:http
 * and fetch), PostgreSQL, Redis, and the Express or Fastify route of a request. Each
 * patches its library only if the service loads it. Anything else is opt-in through
 * `instrumentations`. Calls to the control plane itself (`endpoint`: discovery's blocking
 * reads, which wait up to 20 s by design, and registry calls) are plumbing, not the service's
 * work: they are not traced, as the exporters' own requests are not.
 */
export function defaultInstrumentations(endpoint: string): Instrumentation[] {
  const controlPlane = originOf(endpoint);
  return [
    // Outbound node:http only: inbound requests go through the agent's own, cheaper
    // instrumentation (./http-server.ts).
    new HttpInstrumentation({
      disableIncomingRequestInstrumentation: true,
      ignoreOutgoingRequestHook: (request) => {
        const host = request.hostname ?? request.host ?? "";
        const port = request.port ?? (request.protocol === "https:" ? 443 : 80);
        return controlPlane !== null && `${host}:${port}` === controlPlane.hostPort;
      },
    }),
    new UndiciInstrumentation({
      ignoreRequestHook: (request) =>
        controlPlane !== null && request.origin === controlPlane.origin,
    }),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new ExpressInstrumentation(),
    new FastifyInstrumentation(),
  ];
}

/** The endpoint's origin and host:port as outbound requests name them; null if it is no URL. */
function originOf(endpoint: string): { origin: string; hostPort: string } | null {
  try {
    const url = new URL(endpoint);
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return { origin: url.origin, hostPort: `${url.hostname.replace(/^\[|\]$/g, "")}:${port}` };
  } catch {
    return null;
  }
}
