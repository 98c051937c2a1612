import { randomBytes } from "node:crypto";
import protobuf from "protobufjs/minimal.js";

// Benchmark payloads: OTLP trace requests of `spansPerRequest` spans with 10 attributes each,
// every span with fresh ids, encoded once up front so the load generator only sends bytes.

const W = protobuf.Writer;

function keyValue(key: string, value: string | number): Uint8Array {
  const any = W.create();
  if (typeof value === "string") any.uint32((1 << 3) | 2).string(value);
  else any.uint32((3 << 3) | 0).int64(value);
  return W.create()
    .uint32((1 << 3) | 2)
    .string(key)
    .uint32((2 << 3) | 2)
    .bytes(any.finish())
    .finish();
}

const attributes = (i: number): Uint8Array[] => [
  keyValue("http.request.method", "GET"),
  keyValue("http.route", `/api/items/${i % 50}`),
  keyValue("http.response.status_code", i % 97 === 0 ? 500 : 200),
  keyValue("url.scheme", "https"),
  keyValue("server.address", "shop.internal"),
  keyValue("server.port", 8443),
  keyValue("user_agent.original", "bench/1.0"),
  keyValue("network.protocol.version", "1.1"),
  keyValue("client.address", `10.0.${i % 255}.${(i * 7) % 255}`),
  keyValue("app.tenant", `tenant-${i % 20}`),
];

export type SpanSpec = {
  traceId: Buffer;
  spanId: Buffer;
  parentSpanId: Buffer | null;
  name: string;
  startNs: bigint;
  durationNs: bigint;
  index: number;
};

export function spanSpecs(count: number, nowNs: bigint): SpanSpec[] {
  const specs: SpanSpec[] = [];
  let traceId = randomBytes(16);
  let root: Buffer | null = null;
  for (let i = 0; i < count; i++) {
    if (i % 8 === 0) {
      traceId = randomBytes(16);
      root = null;
    }
    const spanId = randomBytes(8);
    specs.push({
      traceId,
      spanId,
      parentSpanId: root,
      name: root ? "SELECT items" : "GET /api/items/:id",
      startNs: nowNs - BigInt(i) * 1000n,
      durationNs: 1_250_000n,
      index: i,
    });
    root ??= spanId;
  }
  return specs;
}

function fixed64(writer: protobuf.Writer, value: bigint): protobuf.Writer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(value);
  return writer.fixed32(buffer.readUInt32LE(0)).fixed32(buffer.readUInt32LE(4));
}

/** One ExportTraceServiceRequest (protobuf) holding the given spans under one resource. */
export function protobufBody(specs: SpanSpec[]): Uint8Array {
  const scope = W.create()
    .uint32((1 << 3) | 2)
    .bytes(
      W.create()
        .uint32((1 << 3) | 2)
        .string("bench")
        .finish(),
    );
  for (const spec of specs) {
    const span = W.create()
      .uint32((1 << 3) | 2)
      .bytes(spec.traceId)
      .uint32((2 << 3) | 2)
      .bytes(spec.spanId);
    if (spec.parentSpanId) span.uint32((4 << 3) | 2).bytes(spec.parentSpanId);
    span
      .uint32((5 << 3) | 2)
      .string(spec.name)
      .uint32((6 << 3) | 0)
      .uint32(spec.parentSpanId ? 3 : 2);
    fixed64(span.uint32((7 << 3) | 1), spec.startNs);
    fixed64(span.uint32((8 << 3) | 1), spec.startNs + spec.durationNs);
    for (const attribute of attributes(spec.index)) span.uint32((9 << 3) | 2).bytes(attribute);
    scope.uint32((2 << 3) | 2).bytes(span.finish());
  }
  const resource = W.create()
    .uint32((1 << 3) | 2)
    .bytes(
      W.create()
        .uint32((1 << 3) | 2)
        .bytes(keyValue("service.name", "bench-shop"))
        .finish(),
    )
    .uint32((2 << 3) | 2)
    .bytes(scope.finish());
  return W.create()
    .uint32((1 << 3) | 2)
    .bytes(resource.finish())
    .finish();
}

/** The same request in OTLP/JSON. */
export function jsonBody(specs: SpanSpec[]): Uint8Array {
  const attr = (i: number) =>
    [
      ["http.request.method", "GET"],
      ["http.route", `/api/items/${i % 50}`],
      ["http.response.status_code", i % 97 === 0 ? 500 : 200],
      ["url.scheme", "https"],
      ["server.address", "shop.internal"],
      ["server.port", 8443],
      ["user_agent.original", "bench/1.0"],
      ["network.protocol.version", "1.1"],
      ["client.address", `10.0.${i % 255}.${(i * 7) % 255}`],
      ["app.tenant", `tenant-${i % 20}`],
    ].map(([key, value]) => ({
      key,
      value: typeof value === "number" ? { intValue: String(value) } : { stringValue: value },
    }));
  return Buffer.from(
    JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "bench-shop" } }] },
          scopeSpans: [
            {
              scope: { name: "bench" },
              spans: specs.map((spec) => ({
                traceId: spec.traceId.toString("hex"),
                spanId: spec.spanId.toString("hex"),
                ...(spec.parentSpanId ? { parentSpanId: spec.parentSpanId.toString("hex") } : {}),
                name: spec.name,
                kind: spec.parentSpanId ? 3 : 2,
                startTimeUnixNano: spec.startNs.toString(),
                endTimeUnixNano: (spec.startNs + spec.durationNs).toString(),
                attributes: attr(spec.index),
              })),
            },
          ],
        },
      ],
    }),
  );
}
