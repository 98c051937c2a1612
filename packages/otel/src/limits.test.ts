import protobuf from "protobufjs/minimal.js";
import { describe, expect, it } from "vitest";
import { decodeMetricsJson } from "./json/metrics.ts";
import { decodeTracesJson } from "./json/traces.ts";
import { limits, storableText } from "./limits.ts";
import { DecodeError } from "./model.ts";
import { decodeTracesProtobuf } from "./protobuf/traces.ts";
import { hostileBodies } from "./testing/hostile.ts";

const bytes = (text: string) => new TextEncoder().encode(text);
const body = (what: string) => {
  const found = hostileBodies().find((hostile) => hostile.what === what);
  if (!found) throw new Error(`no hostile body "${what}"`);
  return bytes(found.body);
};
const firstSpan = (what: string) => decodeTracesJson(body(what)).resources[0]?.scopes[0]?.items[0];

/** A protobuf ExportTraceServiceRequest with one span whose attribute nests arrays `depth` deep. */
function deepProtobuf(depth: number): Uint8Array {
  const message = (write: (w: protobuf.Writer) => void) => {
    const w = protobuf.Writer.create();
    write(w);
    return w.finish();
  };
  let value = message((w) => w.uint32((1 << 3) | 2).string("bottom"));
  for (let i = 0; i < depth; i++) {
    const inner = value;
    const array = message((w) => w.uint32((1 << 3) | 2).bytes(inner));
    value = message((w) => w.uint32((5 << 3) | 2).bytes(array));
  }
  const keyValue = message((w) =>
    w
      .uint32((1 << 3) | 2)
      .string("deep")
      .uint32((2 << 3) | 2)
      .bytes(value),
  );
  const span = message((w) =>
    w
      .uint32((1 << 3) | 2)
      .bytes(new Uint8Array(16).fill(1))
      .uint32((2 << 3) | 2)
      .bytes(new Uint8Array(8).fill(2))
      .uint32((5 << 3) | 2)
      .string("deep")
      .uint32((7 << 3) | 1)
      .fixed64(1_000)
      .uint32((8 << 3) | 1)
      .fixed64(2_000)
      .uint32((9 << 3) | 2)
      .bytes(keyValue),
  );
  const scopeSpans = message((w) => w.uint32((2 << 3) | 2).bytes(span));
  const resourceSpans = message((w) => w.uint32((2 << 3) | 2).bytes(scopeSpans));
  return message((w) => w.uint32((1 << 3) | 2).bytes(resourceSpans));
}

describe("values PostgreSQL cannot store", () => {
  it("become U+FFFD: NUL and unpaired surrogates, in any string", () => {
    expect(storableText("a\u0000b")).toBe("a\uFFFDb");
    expect(storableText("x\uD800y")).toBe("x\uFFFDy");
    expect(storableText("paired \uD83D\uDE00 stays")).toBe("paired \uD83D\uDE00 stays");
    expect(firstSpan("a span name with NUL")?.name).toBe("a\uFFFDb");
    expect(firstSpan("a lone surrogate in an attribute")?.attributes.k).toBe("x\uFFFDy");
  });

  it.each(["an end time of 2^64-1", "an end time of 2^63"])(
    "refuse the span with %s, alone, saying why",
    (what) => {
      const decoded = decodeTracesJson(body(what));
      expect(decoded.accepted).toBe(0);
      expect(decoded.rejected.count).toBe(1);
      expect(decoded.rejected.messages[0]).toContain("below 2^63 nanoseconds");
    },
  );

  it("refuse a metric point that starts after its time, and a name past 255 characters", () => {
    const start = decodeMetricsJson(body("a metric start time of 2^64-1"));
    expect(start.rejected).toEqual({
      count: 1,
      messages: ['metric "hostile.gauge": a point\'s start_time_unix_nano is after its time'],
    });
    const name = decodeMetricsJson(body("a 10,000-character metric name"));
    expect(name.rejected).toEqual({
      count: 1,
      messages: [`a metric name is longer than ${limits.nameLength} characters`],
    });
  });

  it("refuse an attribute string or key past the bounds, with the item named", () => {
    const long = "v".repeat(limits.stringLength + 1);
    const request = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId: "01".repeat(16),
                  spanId: "02".repeat(8),
                  name: "checkout",
                  startTimeUnixNano: "1000",
                  endTimeUnixNano: "2000",
                  attributes: [{ key: "payload", value: { stringValue: long } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const decoded = decodeTracesJson(bytes(JSON.stringify(request)));
    expect(decoded.rejected.messages).toEqual([
      `span "checkout": attribute "payload" is longer than ${limits.stringLength} characters`,
    ]);
  });

  it("refuse a whole request whose AnyValue nests too deep, in JSON and protobuf", () => {
    expect(() => decodeTracesJson(body("an AnyValue 3,000 deep"))).toThrow(DecodeError);
    expect(() => decodeTracesJson(body("an AnyValue 3,000 deep"))).toThrow(/more than 16 deep/);
    expect(() => decodeTracesProtobuf(deepProtobuf(3_000))).toThrow(/more than 16 deep/);
    expect(decodeTracesProtobuf(deepProtobuf(limits.anyValueDepth)).accepted).toBe(1);
  });
});
