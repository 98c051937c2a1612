import { SpanKind as ApiSpanKind, context, SpanStatusCode, trace } from "@opentelemetry/api";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { describe, expect, it } from "vitest";
import { decodeTracesJson } from "./json/traces.ts";
import { DecodeError, type TracesRequest } from "./model.ts";
import { decodeTracesProtobuf } from "./protobuf/traces.ts";

const nanos = ([seconds, ns]: [number, number]) => BigInt(seconds) * 1_000_000_000n + BigInt(ns);

/** Real spans from the OpenTelemetry SDK: a server span with everything, and a child. */
async function recordSpans(): Promise<ReadableSpan[]> {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      "service.name": "checkout",
      "service.version": "1.4.2",
      "deployment.environment.name": "prod",
    }),
    spanProcessors: [new SimpleSpanProcessor({ exporter })],
  });
  const tracer = provider.getTracer("vigil-test", "0.1.0");
  const linked = tracer.startSpan("linked");
  linked.end();
  const parent = tracer.startSpan("GET /orders/:id", {
    kind: ApiSpanKind.SERVER,
    attributes: {
      "http.route": "/orders/:id",
      "http.response.status_code": 500,
      ratio: 0.25,
      cached: false,
      "big.int": 2 ** 40,
      tags: ["a", "b"],
      codes: [1, 2, 3],
    },
    links: [{ context: linked.spanContext(), attributes: { reason: "retry" } }],
  });
  parent.addEvent("exception", { "exception.message": "boom", attempt: 2 });
  parent.setStatus({ code: SpanStatusCode.ERROR, message: "upstream failed" });
  const child = tracer.startSpan(
    "SELECT orders",
    { kind: ApiSpanKind.CLIENT },
    trace.setSpan(context.active(), parent),
  );
  child.end();
  parent.end();
  await provider.forceFlush();
  return exporter.getFinishedSpans();
}

function expectSame(decoded: TracesRequest, spans: ReadableSpan[]) {
  expect(decoded.rejected).toEqual({ count: 0, messages: [] });
  expect(decoded.accepted).toBe(spans.length);
  const all = decoded.resources.flatMap((rs) =>
    rs.scopes.flatMap((ss) => ss.items.map((span) => ({ span, rs, ss }))),
  );
  expect(all).toHaveLength(spans.length);
  for (const original of spans) {
    const found = all.find(({ span }) => span.spanId === original.spanContext().spanId);
    if (!found) throw new Error(`span ${original.name} missing`);
    const { span, rs, ss } = found;
    expect(rs.resource.attributes).toMatchObject({
      "service.name": "checkout",
      "service.version": "1.4.2",
      "deployment.environment.name": "prod",
    });
    expect(ss.scope).toMatchObject({ name: "vigil-test", version: "0.1.0" });
    expect(span).toMatchObject({
      traceId: original.spanContext().traceId,
      parentSpanId: original.parentSpanContext?.spanId ?? "",
      name: original.name,
      kind: original.kind + 1,
      startTimeUnixNano: nanos(original.startTime),
      endTimeUnixNano: nanos(original.endTime),
      statusCode: original.status.code,
      statusMessage: original.status.message ?? "",
      flags: expect.any(Number),
    });
    expect(span.attributes).toEqual(original.attributes);
    expect(span.events).toEqual(
      original.events.map((event) => ({
        name: event.name,
        timeUnixNano: nanos(event.time),
        attributes: event.attributes ?? {},
        droppedAttributesCount: 0,
      })),
    );
    expect(
      span.links.map((link) => ({
        traceId: link.traceId,
        spanId: link.spanId,
        attributes: link.attributes,
      })),
    ).toEqual(
      original.links.map((link) => ({
        traceId: link.context.traceId,
        spanId: link.context.spanId,
        attributes: link.attributes ?? {},
      })),
    );
  }
}

describe("decoding traces", () => {
  it("reads back every field the official protobuf serializer writes", async () => {
    const spans = await recordSpans();
    const body = ProtobufTraceSerializer.serializeRequest(spans);
    if (!body) throw new Error("serializer returned nothing");
    expectSame(decodeTracesProtobuf(body), spans);
  });

  it("reads back every field the official JSON serializer writes", async () => {
    const spans = await recordSpans();
    const body = JsonTraceSerializer.serializeRequest(spans);
    if (!body) throw new Error("serializer returned nothing");
    expectSame(decodeTracesJson(body), spans);
  });

  it("treats an empty request as no spans", () => {
    expect(decodeTracesProtobuf(new Uint8Array())).toEqual({
      resources: [],
      accepted: 0,
      rejected: { count: 0, messages: [] },
    });
    expect(decodeTracesJson(new TextEncoder().encode("{}")).accepted).toBe(0);
  });

  it("accepts JSON ids in any case, int64 as strings or numbers, and ignores unknown fields", () => {
    const body = {
      resourceSpans: [
        {
          futureField: { x: 1 },
          resource: { attributes: [{ key: "service.name", value: { stringValue: "api" } }] },
          scopeSpans: [
            {
              scope: { name: "s" },
              spans: [
                {
                  traceId: "5B8EFFF798038103D269B633813FC60C",
                  spanId: "EEE19B7EC3C1B174",
                  name: "op",
                  kind: 2,
                  startTimeUnixNano: "1544712660000000000",
                  endTimeUnixNano: 1544712661000000000,
                  attributes: [{ key: "n", value: { intValue: "9007199254740993" } }],
                  somethingNew: true,
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeTracesJson(new TextEncoder().encode(JSON.stringify(body)));
    const span = decoded.resources[0]?.scopes[0]?.items[0];
    expect(span).toMatchObject({
      traceId: "5b8efff798038103d269b633813fc60c",
      spanId: "eee19b7ec3c1b174",
      startTimeUnixNano: 1544712660000000000n,
      attributes: { n: "9007199254740993" },
    });
  });

  it("rejects individually invalid spans and keeps the rest (partial success)", () => {
    const good = {
      traceId: "5b8efff798038103d269b633813fc60c",
      spanId: "eee19b7ec3c1b174",
      name: "ok",
      startTimeUnixNano: "1",
      endTimeUnixNano: "2",
    };
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                good,
                { ...good, name: "short id", spanId: "abc" },
                { ...good, name: "zero trace", traceId: "0".repeat(32) },
                { ...good, name: "not hex", traceId: "zz".repeat(16) },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeTracesJson(new TextEncoder().encode(JSON.stringify(body)));
    expect(decoded.accepted).toBe(1);
    expect(decoded.rejected.count).toBe(3);
    expect(decoded.rejected.messages[0]).toMatch(/short id.*span_id must be 8 bytes/);
  });

  it("refuses bodies that are not OTLP with a DecodeError that says why", () => {
    expect(() => decodeTracesJson(new TextEncoder().encode("{not json"))).toThrow(DecodeError);
    expect(() => decodeTracesJson(new TextEncoder().encode('{"resourceSpans": 5}'))).toThrow(
      /resourceSpans must be an array/,
    );
    expect(() => decodeTracesProtobuf(Uint8Array.from([0x0a, 0x10, 0x01]))).toThrow(DecodeError);
    expect(() => decodeTracesProtobuf(Uint8Array.from([0xff, 0xff, 0xff]))).toThrow(DecodeError);
  });
});
