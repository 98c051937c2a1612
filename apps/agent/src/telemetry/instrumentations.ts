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
 * `instrumentations`.
 */
export function defaultInstrumentations(): Instrumentation[] {
  return [
    // Outbound node:http only: inbound requests go through the agent's own, cheaper
    // instrumentation (./http-server.ts).
    new HttpInstrumentation({ disableIncomingRequestInstrumentation: true }),
    new UndiciInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
    new IORedisInstrumentation({ requireParentSpan: true }),
    new ExpressInstrumentation(),
    new FastifyInstrumentation(),
  ];
}
