import { gzipSync } from "node:zlib";
import { setupTestDatabase } from "@vigil/db/testing";
import protobuf from "protobufjs/minimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiKey, revokeApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";

// Every OTLP/HTTP receiving rule of PROTOCOLS.md, against /v1/traces.

setupTestDatabase();

let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let ingestKey: string;
let readKey: string;
let revokedKey: string;
beforeAll(async () => {
  controlPlane = await startControlPlane();
  const { projectId } = await createOrgWithProject();
  ingestKey = (await createApiKey({ projectId, name: "agent", scope: "ingest" })).secret;
  readKey = (await createApiKey({ projectId, name: "reader", scope: "read" })).secret;
  const revoked = await createApiKey({ projectId, name: "old", scope: "ingest" });
  await revokeApiKey(projectId, revoked.key.id);
  revokedKey = revoked.secret;
});
afterAll(() => controlPlane.close());

const JSON_TYPE = "application/json";
const PROTO_TYPE = "application/x-protobuf";

function post(
  body: BodyInit | Uint8Array,
  headers: Record<string, string>,
  key: string | null = ingestKey,
) {
  return fetch(`${controlPlane.url}/v1/traces`, {
    method: "POST",
    body: body as BodyInit,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
  });
}

const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
const span = (name: string, overrides: Record<string, unknown> = {}) => ({
  traceId: "5b8efff798038103d269b633813fc60c",
  spanId: Math.random().toString(16).slice(2, 10).padEnd(16, "a"),
  name,
  startTimeUnixNano: nowNs(),
  endTimeUnixNano: nowNs(),
  ...overrides,
});
const jsonRequest = (spans: unknown[]) =>
  JSON.stringify({
    resourceSpans: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "conformance" } }] },
        scopeSpans: [{ spans }],
      },
    ],
  });

/** Reads a google.rpc.Status or an ExportTraceServiceResponse's partial_success from protobuf. */
function decodeFields(bytes: Uint8Array): Map<number, unknown> {
  const reader = protobuf.Reader.create(bytes);
  const fields = new Map<number, unknown>();
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wire = tag & 7;
    fields.set(
      tag >>> 3,
      wire === 0 ? Number(reader.int64()) : wire === 2 ? reader.bytes() : reader.skipType(wire),
    );
  }
  return fields;
}

describe("OTLP/HTTP receiving (/v1/traces)", () => {
  it("answers an empty request with success, in the request's content type", async () => {
    const proto = await post(new Uint8Array(), { "content-type": PROTO_TYPE });
    expect(proto.status).toBe(200);
    expect(proto.headers.get("content-type")).toBe(PROTO_TYPE);
    expect((await proto.arrayBuffer()).byteLength).toBe(0);

    const json = await post("{}", { "content-type": JSON_TYPE });
    expect(json.status).toBe(200);
    expect(json.headers.get("content-type")).toBe(JSON_TYPE);
    expect(await json.json()).toEqual({});
  });

  it("reports partial success for invalid spans and keeps the rest (JSON)", async () => {
    const response = await post(jsonRequest([span("kept"), span("bad id", { spanId: "00" })]), {
      "content-type": JSON_TYPE,
    });
    expect(response.status).toBe(200);
    const body = await response.json();
    expect(body.partialSuccess.rejectedSpans).toBe("1");
    expect(body.partialSuccess.errorMessage).toMatch(/bad id.*span_id must be 8 bytes/);
  });

  it("reports partial success in protobuf too", async () => {
    // ExportTraceServiceRequest > ResourceSpans > ScopeSpans > Span with a 2-byte span_id.
    const spanBytes = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(Buffer.from("5b8efff798038103d269b633813fc60c", "hex"))
      .uint32((2 << 3) | 2)
      .bytes(Buffer.from("abcd", "hex"))
      .uint32((5 << 3) | 2)
      .string("short")
      .finish();
    const scope = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(spanBytes)
      .finish();
    const resource = protobuf.Writer.create()
      .uint32((2 << 3) | 2)
      .bytes(scope)
      .finish();
    const request = protobuf.Writer.create()
      .uint32((1 << 3) | 2)
      .bytes(resource)
      .finish();
    const response = await post(request, { "content-type": PROTO_TYPE });
    expect(response.status).toBe(200);
    const partial = decodeFields(
      decodeFields(new Uint8Array(await response.arrayBuffer())).get(1) as Uint8Array,
    );
    expect(partial.get(1)).toBe(1);
    expect(Buffer.from(partial.get(2) as Uint8Array).toString()).toMatch(/span_id must be 8 bytes/);
  });

  it("accepts a gzip body", async () => {
    const response = await post(gzipSync(jsonRequest([span("zipped")])), {
      "content-type": JSON_TYPE,
      "content-encoding": "gzip",
    });
    expect(response.status).toBe(200);
  });

  it.each([
    ["malformed JSON", "{oops", JSON_TYPE, undefined],
    ["JSON of the wrong shape", '{"resourceSpans": {}}', JSON_TYPE, undefined],
    ["malformed protobuf", Buffer.from([0x0a, 0xff, 0xff, 0x01]), PROTO_TYPE, undefined],
    ["a body that is not gzip but says so", Buffer.from("plain"), PROTO_TYPE, "gzip"],
  ])("answers 400 with a google.rpc.Status for %s", async (_case, body, type, encoding) => {
    const response = await post(body, {
      "content-type": type,
      ...(encoding ? { "content-encoding": encoding } : {}),
    });
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe(type);
    if (type === JSON_TYPE)
      expect(await response.json()).toMatchObject({ code: 3, message: expect.any(String) });
    else expect(decodeFields(new Uint8Array(await response.arrayBuffer())).get(1)).toBe(3);
  });

  it.each([
    ["no key", null],
    ["a revoked key", "revoked"],
    ["a read key", "read"],
    ["an unknown key", "vgl_ik_unknownunknownunknownunknown1"],
  ])("answers 401 for %s", async (_case, which) => {
    const key = which === "revoked" ? revokedKey : which === "read" ? readKey : which;
    const response = await post("{}", { "content-type": JSON_TYPE }, key);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 16 });
  });

  it("answers 415 for other content types and content encodings", async () => {
    expect((await post("x", { "content-type": "text/plain" })).status).toBe(415);
    expect((await post("{}", { "content-type": JSON_TYPE, "content-encoding": "br" })).status).toBe(
      415,
    );
  });

  it("answers 405 to anything but POST", async () => {
    const response = await fetch(`${controlPlane.url}/v1/traces`, {
      headers: { authorization: `Bearer ${ingestKey}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("POST");
  });

  it("answers 413 for a body over 20 MiB", async () => {
    const response = await post(new Uint8Array(20 * 1024 * 1024 + 1), {
      "content-type": PROTO_TYPE,
    });
    expect(response.status).toBe(413);
  });

  it("answers a gzip bomb (10 MB inflating to 10 GB) with 413 without inflating it", async () => {
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    const bomb = Buffer.concat(
      Array.from({ length: Math.ceil((10 * 1024 * 1024) / member.length) }, () => member),
    );
    expect(bomb.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const response = await post(bomb, { "content-type": PROTO_TYPE, "content-encoding": "gzip" });
    expect(response.status).toBe(413);
    expect(await response.json().catch(() => null)).toBeNull(); // protobuf Status, not JSON
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(50 * 1024 * 1024);
  });
});

describe("the same rules on /v1/metrics and /v1/logs", () => {
  const send = (
    path: string,
    body: BodyInit | Uint8Array,
    headers: Record<string, string>,
    key: string | null = ingestKey,
  ) =>
    fetch(`${controlPlane.url}${path}`, {
      method: "POST",
      body: body as BodyInit,
      headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...headers },
    });

  for (const path of ["/v1/metrics", "/v1/logs"]) {
    it(`${path}: empty requests succeed in both encodings`, async () => {
      const proto = await send(path, new Uint8Array(), { "content-type": PROTO_TYPE });
      expect([proto.status, proto.headers.get("content-type")]).toEqual([200, PROTO_TYPE]);
      const json = await send(path, "{}", { "content-type": JSON_TYPE });
      expect([json.status, await json.json()]).toEqual([200, {}]);
    });

    it(`${path}: 400, 401, 413 and 415 as on /v1/traces`, async () => {
      expect((await send(path, "{oops", { "content-type": JSON_TYPE })).status).toBe(400);
      expect((await send(path, "{}", { "content-type": JSON_TYPE }, null)).status).toBe(401);
      expect((await send(path, "{}", { "content-type": JSON_TYPE }, readKey)).status).toBe(401);
      expect(
        (await send(path, new Uint8Array(20 * 1024 * 1024 + 1), { "content-type": PROTO_TYPE }))
          .status,
      ).toBe(413);
      expect((await send(path, "x", { "content-type": "text/plain" })).status).toBe(415);
    });
  }

  it("/v1/metrics reports refused data points as partial success", async () => {
    const body = {
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                {
                  name: "ok.gauge",
                  gauge: { dataPoints: [{ timeUnixNano: nowNs(), asDouble: 1 }, { asDouble: 2 }] },
                },
              ],
            },
          ],
        },
      ],
    };
    const response = await send("/v1/metrics", JSON.stringify(body), { "content-type": JSON_TYPE });
    expect(response.status).toBe(200);
    expect((await response.json()).partialSuccess).toMatchObject({
      rejectedDataPoints: "1",
      errorMessage: expect.stringMatching(/no time_unix_nano/),
    });
  });

  it("/v1/logs reports refused log records as partial success", async () => {
    const body = {
      resourceLogs: [
        {
          scopeLogs: [
            {
              logRecords: [
                { timeUnixNano: nowNs(), body: { stringValue: "kept" } },
                { traceId: "abcd", body: { stringValue: "bad trace id" } },
              ],
            },
          ],
        },
      ],
    };
    const response = await send("/v1/logs", JSON.stringify(body), { "content-type": JSON_TYPE });
    expect(response.status).toBe(200);
    expect((await response.json()).partialSuccess).toMatchObject({
      rejectedLogRecords: "1",
      errorMessage: expect.stringMatching(/trace_id must be 16 bytes/),
    });
  });
});
