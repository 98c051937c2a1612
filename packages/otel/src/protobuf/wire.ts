import protobuf from "protobufjs/minimal.js";
import { storableText } from "../limits.ts";
import { DecodeError } from "../model.ts";

export type Reader = protobuf.Reader;

export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** A reader over the body as a Buffer (no copy), so strings and hex ids decode natively. */
export function readerFor(body: Uint8Array): Reader {
  const buffer = Buffer.isBuffer(body)
    ? body
    : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  return protobuf.Reader.create(buffer);
}

/** A string field as text PostgreSQL can store (see storableText). */
export function text(reader: Reader): string {
  return storableText(reader.string());
}

/** A bytes field as lower-case hex, read straight from the buffer. */
export function hexBytes(reader: Reader): string {
  const length = reader.uint32();
  const start = reader.pos;
  if (start + length > reader.len) throw new DecodeError("truncated bytes");
  reader.pos = start + length;
  return (reader.buf as Buffer).toString("hex", start, start + length);
}

/** A varint int64 as a JS value without BigInt for the common small case. */
export function intValue(reader: Reader): number | string {
  const buf = reader.buf;
  let pos = reader.pos;
  let value = 0;
  let scale = 1;
  // Up to 7 bytes (49 bits) add up exactly in a double; longer ones take the exact path.
  for (let i = 0; i < 7 && pos < reader.len; i++) {
    const byte = buf[pos++] as number;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      reader.pos = pos;
      return value;
    }
    scale *= 128;
  }
  return exactInt(varint64(reader));
}

/** A fixed64 as exact nanoseconds (timestamps exceed 2^53). */
export function fixed64(reader: Reader): bigint {
  const at = reader.pos;
  if (at + 8 > reader.len) throw new DecodeError("truncated fixed64");
  reader.pos = at + 8;
  return (reader.buf as Buffer).readBigUInt64LE(at);
}

const TWO_32 = 2 ** 32;
/**
 * A fixed64 count as a number, without a BigInt: counts beyond 2^53 are clamped to the largest
 * safe one (as countValue does).
 */
export function fixed64Count(reader: Reader): number {
  const at = reader.pos;
  if (at + 8 > reader.len) throw new DecodeError("truncated fixed64");
  reader.pos = at + 8;
  const buf = reader.buf as Buffer;
  const high = buf.readUInt32LE(at + 4);
  return high >= 0x200000 ? Number.MAX_SAFE_INTEGER : high * TWO_32 + buf.readUInt32LE(at);
}

/** A varint of up to 64 bits, exactly (protobufjs rounds these without the `long` package). */
export function varint64(reader: Reader): bigint {
  let result = 0n;
  let shift = 0n;
  for (let i = 0; i < 10; i++) {
    if (reader.pos >= reader.len) throw new DecodeError("truncated varint");
    const byte = reader.buf[reader.pos++] ?? 0;
    result |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return BigInt.asUintN(64, result);
    shift += 7n;
  }
  throw new DecodeError("varint longer than 10 bytes");
}

/** A signed 64-bit integer as a JS value: a number when exact, else a decimal string. */
export function exactInt(value: bigint): number | string {
  const signed = BigInt.asIntN(64, value);
  return signed >= BigInt(Number.MIN_SAFE_INTEGER) && signed <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(signed)
    : signed.toString();
}

/** A 64-bit count (uint64/fixed64) as a number; counts beyond 2^53 are clamped to the largest safe one. */
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
export function countValue(value: bigint): number {
  return value > MAX_SAFE ? Number.MAX_SAFE_INTEGER : Number(value);
}

/** The sub-message at the reader's position: returns the position where it ends. */
export function messageEnd(reader: Reader): number {
  const length = reader.uint32();
  const end = reader.pos + length;
  if (end > reader.len) throw new DecodeError("truncated message");
  return end;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/** Runs `field` for every field until `end`, skipping what it does not handle. */
export function readFields(
  reader: Reader,
  end: number,
  field: (number: number, wireType: number) => boolean,
): void {
  while (reader.pos < end) {
    const tag = reader.uint32();
    const number = tag >>> 3;
    const wireType = tag & 7;
    if (number === 0) throw new DecodeError("invalid field number 0");
    if (!field(number, wireType)) reader.skipType(wireType);
  }
  if (reader.pos !== end) throw new DecodeError("a field ran past the end of its message");
}
