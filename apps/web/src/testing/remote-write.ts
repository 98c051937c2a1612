import protobuf from "protobufjs/minimal.js";
import snappy from "snappy";

// A Prometheus remote-write client for tests: WriteRequest protobuf, snappy block, as Prometheus
// itself sends it.

export type WriteSeries = {
  labels: Record<string, string>;
  /** [milliseconds, value]; a value of "stale" is Prometheus's staleness marker. */
  samples: [number, number | "stale"][];
};

/** The snappy-compressed WriteRequest for `series` (labels sorted by name, as the spec asks). */
export function encodeWriteRequest(series: WriteSeries[]): Buffer {
  const writer = protobuf.Writer.create();
  for (const s of series) {
    writer.uint32((1 << 3) | 2).fork();
    for (const [name, value] of Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : 1))) {
      writer.uint32((1 << 3) | 2).fork();
      writer.uint32((1 << 3) | 2).string(name);
      writer.uint32((2 << 3) | 2).string(value);
      writer.ldelim();
    }
    for (const [t, v] of s.samples) {
      writer.uint32((2 << 3) | 2).fork();
      if (v === "stale")
        writer
          .uint32((1 << 3) | 1)
          .fixed32(2)
          .fixed32(0x7ff00000);
      else writer.uint32((1 << 3) | 1).double(v);
      writer.uint32((2 << 3) | 0).int64(t);
      writer.ldelim();
    }
    writer.ldelim();
  }
  return snappy.compressSync(Buffer.from(writer.finish()));
}

/** Sends series to a remote-write endpoint; resolves to the response (throws on no response). */
export async function remoteWrite(
  url: string,
  key: string | null,
  series: WriteSeries[],
): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-protobuf",
      "content-encoding": "snappy",
      "x-prometheus-remote-write-version": "0.1.0",
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: new Uint8Array(encodeWriteRequest(series)),
  });
}
