import { db } from "@vigil/db";
import { type StoredSpan, spansOfTrace } from "@vigil/db/telemetry";
import { DomainError } from "../errors.ts";

const kinds = ["unspecified", "internal", "server", "client", "producer", "consumer"] as const;
const statuses = ["unset", "ok", "error"] as const;

export type TraceSpan = ReturnType<typeof toApiSpan>;

function endNs(span: StoredSpan): string {
  return (BigInt(span.startNs) + BigInt(span.durationNs)).toString();
}

/** A stored span as the read API shows it: times in exact nanoseconds (strings) and milliseconds. */
function toApiSpan(span: StoredSpan) {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: kinds[span.kind] ?? "unspecified",
    startTimeUnixNano: span.startNs,
    endTimeUnixNano: endNs(span),
    startTime: new Date(Number(BigInt(span.startNs) / 1_000_000n)).toISOString(),
    durationMs: Number(span.durationNs) / 1e6,
    status: { code: statuses[span.statusCode] ?? "unset", message: span.statusMessage },
    service: {
      name: span.service,
      environment: span.environment,
      instance: span.instance,
      version: span.version,
    },
    resource: span.resource,
    scope: { name: span.scopeName, version: span.scopeVersion },
    traceState: span.traceState,
    flags: span.flags,
    attributes: span.attributes,
    events: span.events ?? [],
    links: span.links ?? [],
    dropped: {
      attributes: span.droppedAttributesCount,
      events: span.droppedEventsCount,
      links: span.droppedLinksCount,
    },
  };
}

export const TRACE_ID = /^[0-9a-fA-F]{32}$/;

/** One trace of a project with all its spans; NOT_FOUND when it has none. */
export async function getTrace(
  projectId: string,
  traceId: string,
): Promise<{ traceId: string; spans: TraceSpan[] }> {
  if (!TRACE_ID.test(traceId))
    throw new DomainError("BAD_REQUEST", "traceId must be 32 hex characters");
  const spans = await spansOfTrace(db().reads(), projectId, traceId.toLowerCase());
  if (spans.length === 0)
    throw new DomainError("NOT_FOUND", `no trace ${traceId.toLowerCase()} in this project`);
  return { traceId: traceId.toLowerCase(), spans: spans.map(toApiSpan) };
}
