import type { SpanRow } from "@vigil/db/telemetry";
import type { TracesRequest } from "@vigil/otel";
import { Admission, type IngestResult } from "./admission.ts";
import { ingestQueues } from "./queues.ts";

export type { IngestResult } from "./admission.ts";

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
  const admission = new Admission(request, nowNs);
  for (const { resource, scopes } of request.resources) {
    const count = scopes.reduce((sum, scope) => sum + scope.items.length, 0);
    if (count === 0) continue;
    const ref = await admission.service(projectId, resource, count);
    if (!ref) continue;
    for (const { scope, items: spans } of scopes) {
      for (const span of spans) {
        const what = `span "${span.name}": its`;
        if (
          !admission.inWindow(span.startTimeUnixNano, `${what} start time`) ||
          !admission.inWindow(span.endTimeUnixNano, `${what} end time`)
        )
          continue;
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
  return admission.result(rows.length);
}
