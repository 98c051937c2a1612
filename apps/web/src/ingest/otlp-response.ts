import protobuf from "protobufjs/minimal.js";

export type Encoding = "protobuf" | "json";
export type Signal = "traces" | "metrics" | "logs";

/** The name of the rejected-items counter in each Export*PartialSuccess. */
const rejectedField: Record<Signal, string> = {
  traces: "rejectedSpans",
  metrics: "rejectedDataPoints",
  logs: "rejectedLogRecords",
};

export const contentTypes: Record<Encoding, string> = {
  protobuf: "application/x-protobuf",
  json: "application/json",
};

/**
 * An Export{Trace,Metrics,Logs}ServiceResponse: empty on full success; with partial_success
 * { 1: rejected count (int64), 2: error_message } when some items were refused.
 */
export function exportResponse(
  signal: Signal,
  encoding: Encoding,
  rejected: number,
  message: string,
): Uint8Array {
  if (encoding === "json") {
    const body =
      rejected > 0
        ? { partialSuccess: { [rejectedField[signal]]: String(rejected), errorMessage: message } }
        : {};
    return Buffer.from(JSON.stringify(body));
  }
  if (rejected === 0) return new Uint8Array();
  const inner = protobuf.Writer.create()
    .uint32((1 << 3) | 0)
    .int64(rejected)
    .uint32((2 << 3) | 2)
    .string(message)
    .finish();
  return protobuf.Writer.create()
    .uint32((1 << 3) | 2)
    .bytes(inner)
    .finish();
}

/** google.rpc.Code values Vigil answers with. */
export const RpcCode = {
  invalidArgument: 3,
  resourceExhausted: 8,
  internal: 13,
  unavailable: 14,
  unauthenticated: 16,
} as const;

/** A google.rpc.Status { 1: code, 2: message }. */
export function statusBody(encoding: Encoding, code: number, message: string): Uint8Array {
  if (encoding === "json") return Buffer.from(JSON.stringify({ code, message }));
  return protobuf.Writer.create()
    .uint32((1 << 3) | 0)
    .int32(code)
    .uint32((2 << 3) | 2)
    .string(message)
    .finish();
}
