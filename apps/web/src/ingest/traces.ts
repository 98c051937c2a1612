import { db } from "@vigil/db";
import { NS_PER_DAY, resolveService, type SpanRow } from "@vigil/db/telemetry";
import { serviceIdentity, type TracesRequest } from "@vigil/otel";
import { ingestQueues } from "./queues.ts";

/** How far from now a span may start and still be stored (older data is past any retention). */
const MAX_AGE_NS = 30n * NS_PER_DAY;
const MAX_FUTURE_NS = 2n * NS_PER_DAY;

export type IngestResult = { accepted: number; rejected: number; message: string };

/**
 * Stores a decoded traces request for a project; resolves once every accepted span is durable.
 * Spans outside the storable time window are rejected one by one, like invalid ones.
 */
export async function ingestTraces(
  projectId: string,
  request: TracesRequest,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<IngestResult> {
  const rows: SpanRow[] = [];
  let rejected = request.rejected.count;
  const messages = [...request.rejected.messages];
  for (const { resource, scopes } of request.resources) {
    if (scopes.every((scope) => scope.items.length === 0)) continue;
    const ref = await resolveService(db().pool, projectId, serviceIdentity(resource.attributes));
    for (const { scope, items: spans } of scopes) {
      for (const span of spans) {
        if (
          span.startTimeUnixNano < nowNs - MAX_AGE_NS ||
          span.startTimeUnixNano > nowNs + MAX_FUTURE_NS
        ) {
          rejected += 1;
          if (messages.length < 5)
            messages.push(
              `span "${span.name}": start time is more than 30 days old or 2 days ahead`,
            );
          continue;
        }
        rows.push({
          projectId,
          startNs: span.startTimeUnixNano,
          traceId: span.traceId,
          spanId: span.spanId,
          parentSpanId: span.parentSpanId,
          serviceId: ref.serviceId,
          instanceId: ref.instanceId,
          name: span.name,
          kind: span.kind,
          durationNs: span.endTimeUnixNano - span.startTimeUnixNano,
          statusCode: span.statusCode,
          statusMessage: span.statusMessage,
          traceState: span.traceState,
          flags: span.flags,
          scopeName: scope.name,
          scopeVersion: scope.version,
          attributes: span.attributes,
          events: span.events.length
            ? span.events.map((event) => ({
                ...event,
                timeUnixNano: event.timeUnixNano.toString(),
              }))
            : null,
          links: span.links.length ? span.links : null,
          droppedAttributesCount: span.droppedAttributesCount,
          droppedEventsCount: span.droppedEventsCount,
          droppedLinksCount: span.droppedLinksCount,
        });
      }
    }
  }
  await ingestQueues().spans.enqueue(rows);
  return { accepted: rows.length, rejected, message: messages.join("; ") };
}
