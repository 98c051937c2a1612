import { type SpanRow, writeSpans } from "@vigil/db/telemetry";
import type pg from "pg";
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

/**
 * The span writer alone (staging COPY, identity check, search hashes), as the ingest queue runs
 * it: two writers, batches of 4,096 spans, the first batch (which makes the day's partitions)
 * outside the timing. What span ingestion could reach if HTTP and decoding were free.
 */
export async function timedSpanWriter(
  pool: pg.Pool,
  rows: SpanRow[],
): Promise<{ spans: number; ms: number }> {
  const batches: SpanRow[][] = [];
  for (let i = 0; i < rows.length; i += 4096) batches.push(rows.slice(i, i + 4096));
  const first = batches.shift() ?? [];
  await writeSpans(pool, first);
  const started = performance.now();
  const writer = async () => {
    for (let batch = batches.shift(); batch; batch = batches.shift()) await writeSpans(pool, batch);
  };
  await Promise.all([writer(), writer()]);
  return { spans: rows.length - first.length, ms: performance.now() - started };
}
