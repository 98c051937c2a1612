import { createHash } from "node:crypto";
import type { LogRow } from "@vigil/db/telemetry";
import type { LogsRequest } from "@vigil/otel";
import { Admission, type IngestResult } from "./admission.ts";
import { ingestQueues } from "./queues.ts";

/** Stores a decoded logs request for a project; resolves once every accepted record is durable. */
export async function ingestLogs(
  projectId: string,
  request: LogsRequest,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<IngestResult> {
  const rows: LogRow[] = [];
  const admission = new Admission(request, nowNs);
  for (const { resource, scopes } of request.resources) {
    const count = scopes.reduce((sum, scope) => sum + scope.items.length, 0);
    if (count === 0) continue;
    const ref = await admission.service(projectId, resource, count);
    if (!ref) continue;
    const resourceKey = JSON.stringify(resource.attributes);
    for (const { scope, items: logRecords } of scopes) {
      for (const record of logRecords) {
        // OTLP: a record without a time is placed at the time it was observed, else received.
        const timeNs = record.timeUnixNano || record.observedTimeUnixNano || nowNs;
        if (!admission.inWindow(timeNs, "a log record")) continue;
        const id = createHash("sha1")
          .update(
            JSON.stringify([
              resourceKey,
              scope.name,
              scope.version,
              record.timeUnixNano.toString(),
              record.observedTimeUnixNano.toString(),
              record.severityNumber,
              record.severityText,
              record.body,
              record.attributes,
              record.traceId,
              record.spanId,
              record.eventName,
            ]),
          )
          .digest("hex");
        rows.push({
          projectId,
          timeNs,
          id,
          observedNs: record.observedTimeUnixNano,
          serviceId: ref.serviceId,
          instanceId: ref.instanceId,
          severityNumber: record.severityNumber,
          severityText: record.severityText,
          body: record.body,
          attributes: record.attributes,
          traceId: record.traceId,
          spanId: record.spanId,
          flags: record.flags,
          eventName: record.eventName,
          scopeName: scope.name,
          scopeVersion: scope.version,
          droppedAttributesCount: record.droppedAttributesCount,
        });
      }
    }
  }
  await ingestQueues().logs.enqueue(rows);
  return admission.result(rows.length);
}
