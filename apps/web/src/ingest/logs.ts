import { createHash } from "node:crypto";
import { db } from "@vigil/db";
import { type LogRow, NS_PER_DAY, resolveService } from "@vigil/db/telemetry";
import { type LogsRequest, serviceIdentity } from "@vigil/otel";
import { ingestQueues } from "./queues.ts";
import type { IngestResult } from "./traces.ts";

const MAX_AGE_NS = 30n * NS_PER_DAY;
const MAX_FUTURE_NS = 2n * NS_PER_DAY;

/** Stores a decoded logs request for a project; resolves once every accepted record is durable. */
export async function ingestLogs(
  projectId: string,
  request: LogsRequest,
  nowNs = BigInt(Date.now()) * 1_000_000n,
): Promise<IngestResult> {
  const rows: LogRow[] = [];
  let rejected = request.rejected.count;
  const messages = [...request.rejected.messages];
  for (const { resource, scopes } of request.resources) {
    if (scopes.every((scope) => scope.items.length === 0)) continue;
    const identity = serviceIdentity(resource.attributes);
    const ref = await resolveService(db().pool, projectId, identity);
    const resourceKey = JSON.stringify(resource.attributes);
    for (const { scope, items: logRecords } of scopes) {
      for (const record of logRecords) {
        // OTLP: a record without a time is placed at the time it was observed, else received.
        const timeNs = record.timeUnixNano || record.observedTimeUnixNano || nowNs;
        if (timeNs < nowNs - MAX_AGE_NS || timeNs > nowNs + MAX_FUTURE_NS) {
          rejected += 1;
          if (messages.length < 5)
            messages.push("a log record is more than 30 days old or 2 days ahead");
          continue;
        }
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
  return { accepted: rows.length, rejected, message: messages.join("; ") };
}
