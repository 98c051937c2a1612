import {
  type Decoded,
  DecodeError,
  type Rejections,
  type ResourceItems,
  type ScopeItems,
} from "../model.ts";
import { emptyResource, emptyScope, resource, scope } from "./common.ts";
import { messageEnd, type Reader, readerFor, readFields, text, WireType } from "./wire.ts";

/** What a signal adds to the envelope: how to read one item, and how many of it to keep. */
export type ItemCodec<T> = {
  read(reader: Reader, end: number): T | null;
  /** Records what is refused; returns the number of accepted things (0 drops the item). */
  keep(item: T, rejected: Rejections): number;
};

/**
 * The envelope all three OTLP export requests share, by field number: the request's 1 is a
 * list of Resource{Spans,Metrics,Logs} (1 resource, 2 scope lists, 3 schema_url), each scope
 * list Scope{...} (1 scope, 2 items, 3 schema_url).
 */
export function decodeEnvelope<T>(body: Uint8Array, codec: ItemCodec<T>): Decoded<T> {
  const reader = readerFor(body);
  const decoded: Decoded<T> = { resources: [], accepted: 0, rejected: { count: 0, messages: [] } };
  try {
    readFields(reader, reader.len, (field, wireType) => {
      if (field !== 1 || wireType !== WireType.bytes) return false;
      decoded.resources.push(resourceItems(reader, messageEnd(reader), codec, decoded));
      return true;
    });
  } catch (error) {
    throw error instanceof DecodeError
      ? error
      : new DecodeError(`invalid protobuf: ${(error as Error).message}`);
  }
  return decoded;
}

function resourceItems<T>(
  reader: Reader,
  end: number,
  codec: ItemCodec<T>,
  decoded: Decoded<T>,
): ResourceItems<T> {
  const result: ResourceItems<T> = { resource: emptyResource(), scopes: [] };
  readFields(reader, end, (field, wireType) => {
    if (wireType !== WireType.bytes) return false;
    if (field === 1)
      result.resource = resource(reader, messageEnd(reader), result.resource.schemaUrl);
    else if (field === 2)
      result.scopes.push(scopeItems(reader, messageEnd(reader), codec, decoded));
    else if (field === 3) result.resource.schemaUrl = text(reader);
    else return false;
    return true;
  });
  return result;
}

function scopeItems<T>(
  reader: Reader,
  end: number,
  codec: ItemCodec<T>,
  decoded: Decoded<T>,
): ScopeItems<T> {
  const result: ScopeItems<T> = { scope: emptyScope(), items: [] };
  let schemaUrl = "";
  readFields(reader, end, (field, wireType) => {
    if (wireType !== WireType.bytes) return false;
    if (field === 1) result.scope = scope(reader, messageEnd(reader));
    else if (field === 2) {
      const item = codec.read(reader, messageEnd(reader));
      const kept = item === null ? 0 : codec.keep(item, decoded.rejected);
      if (item !== null && kept > 0) {
        result.items.push(item);
        decoded.accepted += kept;
      }
    } else if (field === 3) schemaUrl = text(reader);
    else return false;
    return true;
  });
  result.scope.schemaUrl = schemaUrl;
  return result;
}
