import protobuf from "protobufjs/minimal.js";

// Benchmark payloads for /v1/metrics: rounds over `series` series (40 % gauges, 40 % cumulative
// sums, 20 % cumulative histograms with 10 buckets), `pointsPerRequest` points per request.

const W = protobuf.Writer;
const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

function fixed64(writer: protobuf.Writer, value: bigint): protobuf.Writer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(value);
  return writer.fixed32(buffer.readUInt32LE(0)).fixed32(buffer.readUInt32LE(4));
}

function attribute(key: string, value: string): Uint8Array {
  return W.create()
    .uint32((1 << 3) | 2)
    .string(key)
    .uint32((2 << 3) | 2)
    .bytes(
      W.create()
        .uint32((1 << 3) | 2)
        .string(value)
        .finish(),
    )
    .finish();
}

function metric(series: number, round: number, startNs: bigint, timeNs: bigint): Uint8Array {
  const kind = series % 5; // 0,1 gauge; 2,3 sum; 4 histogram
  const name =
    kind < 2 ? "bench.queue.depth" : kind < 4 ? "bench.requests" : "bench.request.duration";
  const point = W.create()
    .uint32((7 << 3) | 2)
    .bytes(attribute("series", String(series)))
    .uint32((7 << 3) | 2)
    .bytes(attribute("region", `r${series % 7}`));
  if (kind === 4) {
    const histogram = W.create()
      .uint32((9 << 3) | 2)
      .bytes(attribute("series", String(series)));
    fixed64(histogram.uint32((2 << 3) | 1), startNs);
    fixed64(histogram.uint32((3 << 3) | 1), timeNs);
    fixed64(histogram.uint32((4 << 3) | 1), BigInt(round * 10));
    histogram.uint32((5 << 3) | 1).double(round * 1.5);
    const counts = W.create();
    for (let i = 0; i <= BOUNDS.length; i++) fixed64(counts, BigInt(round));
    histogram.uint32((6 << 3) | 2).bytes(counts.finish());
    const bounds = W.create();
    for (const bound of BOUNDS) bounds.double(bound);
    histogram.uint32((7 << 3) | 2).bytes(bounds.finish());
    const data = W.create()
      .uint32((1 << 3) | 2)
      .bytes(histogram.finish())
      .uint32((2 << 3) | 0)
      .uint32(2);
    return W.create()
      .uint32((1 << 3) | 2)
      .string(name)
      .uint32((9 << 3) | 2)
      .bytes(data.finish())
      .finish();
  }
  fixed64(point.uint32((2 << 3) | 1), startNs);
  fixed64(point.uint32((3 << 3) | 1), timeNs);
  point.uint32((4 << 3) | 1).double(kind < 2 ? (series * 31 + round) % 100 : round * 3);
  const points = W.create()
    .uint32((1 << 3) | 2)
    .bytes(point.finish());
  if (kind < 2)
    return W.create()
      .uint32((1 << 3) | 2)
      .string(name)
      .uint32((5 << 3) | 2)
      .bytes(points.finish())
      .finish();
  points
    .uint32((2 << 3) | 0)
    .uint32(2)
    .uint32((3 << 3) | 0)
    .bool(true);
  return W.create()
    .uint32((1 << 3) | 2)
    .string(name)
    .uint32((7 << 3) | 2)
    .bytes(points.finish())
    .finish();
}

/** `requests` ExportMetricsServiceRequest bodies, rounds of all series, time advancing 10 s a round. */
export function metricBodies(
  requests: number,
  series: number,
  pointsPerRequest: number,
  startNs: bigint,
): Uint8Array[] {
  const bodies: Uint8Array[] = [];
  const perRound = Math.ceil(series / pointsPerRequest);
  for (let r = 0; r < requests; r++) {
    const round = Math.floor(r / perRound) + 1;
    const first = (r % perRound) * pointsPerRequest;
    const timeNs = startNs + BigInt(round) * 10_000_000_000n;
    const scope = W.create();
    for (let s = first; s < Math.min(series, first + pointsPerRequest); s++)
      scope.uint32((2 << 3) | 2).bytes(metric(s, round, startNs, timeNs));
    const resource = W.create()
      .uint32((1 << 3) | 2)
      .bytes(
        W.create()
          .uint32((1 << 3) | 2)
          .bytes(attribute("service.name", "bench-metrics"))
          .finish(),
      )
      .uint32((2 << 3) | 2)
      .bytes(scope.finish());
    bodies.push(
      W.create()
        .uint32((1 << 3) | 2)
        .bytes(resource.finish())
        .finish(),
    );
  }
  return bodies;
}
