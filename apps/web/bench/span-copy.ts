import type { SpanRow } from "@vigil/db/telemetry";
import type { SpanSpec } from "./span-bodies.ts";

/** The benchmark's spans as the span writer's own rows (the same attributes as the OTLP bodies). */
export function spanRows(
  projectId: string,
  ref: { serviceId: bigint; instanceId: bigint },
  specs: SpanSpec[],
): SpanRow[] {
  return specs.map((spec) => ({
    projectId,
    startNs: spec.startNs,
    traceId: spec.traceId.toString("hex"),
    spanId: spec.spanId.toString("hex"),
    parentSpanId: spec.parentSpanId?.toString("hex") ?? "",
    ...ref,
    name: spec.name,
    kind: spec.parentSpanId ? 3 : 2,
    durationNs: spec.durationNs,
    statusCode: 0,
    statusMessage: "",
    traceState: "",
    flags: 0,
    scopeName: "bench",
    scopeVersion: "",
    attributes: {
      "http.request.method": "GET",
      "http.route": `/api/items/${spec.index % 50}`,
      "http.response.status_code": spec.index % 97 === 0 ? 500 : 200,
      "url.scheme": "https",
      "server.address": "shop.internal",
      "server.port": 8443,
      "user_agent.original": "bench/1.0",
      "network.protocol.version": "1.1",
      "client.address": `10.0.${spec.index % 255}.${(spec.index * 7) % 255}`,
      "app.tenant": `tenant-${spec.index % 20}`,
    },
    events: null,
    links: null,
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  }));
}

/** COPY input in large chunks from any line encoder. */
export function* lines<Row>(rows: Row[], line: (row: Row) => string): Generator<string> {
  let chunk = "";
  for (const row of rows) {
    chunk += line(row);
    if (chunk.length > 256_000) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk) yield chunk;
}
