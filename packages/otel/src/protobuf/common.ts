import { limits, tooDeep } from "../limits.ts";
import {
  type Attributes,
  type AttributeValue,
  DecodeError,
  type Resource,
  type Scope,
} from "../model.ts";
import { intValue, messageEnd, type Reader, readFields, text, WireType } from "./wire.ts";

// opentelemetry.proto.common.v1 and resource.v1, by field number.

/** AnyValue: 1 string, 2 bool, 3 int64, 4 double, 5 ArrayValue, 6 KeyValueList, 7 bytes. */
export function anyValue(reader: Reader, end: number, depth = 0): AttributeValue {
  if (depth > limits.anyValueDepth) throw new DecodeError(tooDeep);
  let value: AttributeValue = null;
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.bytes) value = text(reader);
    else if (field === 2 && wireType === WireType.varint) value = reader.bool();
    else if (field === 3 && wireType === WireType.varint) value = intValue(reader);
    else if (field === 4 && wireType === WireType.fixed64) value = reader.double();
    else if (field === 5 && wireType === WireType.bytes)
      value = arrayValue(reader, messageEnd(reader), depth + 1);
    else if (field === 6 && wireType === WireType.bytes)
      value = keyValues(reader, messageEnd(reader), depth + 1);
    else if (field === 7 && wireType === WireType.bytes)
      value = Buffer.from(reader.bytes()).toString("base64");
    else return false;
    return true;
  });
  return value;
}

/** ArrayValue: 1 repeated AnyValue. */
function arrayValue(reader: Reader, end: number, depth: number): AttributeValue[] {
  const values: AttributeValue[] = [];
  readFields(reader, end, (field, wireType) => {
    if (field !== 1 || wireType !== WireType.bytes) return false;
    values.push(anyValue(reader, messageEnd(reader), depth));
    return true;
  });
  return values;
}

/** KeyValueList: 1 repeated KeyValue. */
function keyValues(reader: Reader, end: number, depth: number): Attributes {
  const attributes: Attributes = {};
  readFields(reader, end, (field, wireType) => {
    if (field !== 1 || wireType !== WireType.bytes) return false;
    keyValue(reader, messageEnd(reader), attributes, depth);
    return true;
  });
  return attributes;
}

/**
 * KeyValue: 1 key, 2 value; added to `into` (a later duplicate key wins). The hottest message of
 * all, so it reads its tags directly rather than through readFields' callback.
 */
export function keyValue(reader: Reader, end: number, into: Attributes, depth = 0): void {
  let key = "";
  let value: AttributeValue = null;
  while (reader.pos < end) {
    const tag = reader.uint32();
    if (tag === ((1 << 3) | WireType.bytes)) key = text(reader);
    else if (tag === ((2 << 3) | WireType.bytes))
      value = anyValue(reader, messageEnd(reader), depth);
    else if (tag >>> 3 === 0) throw new DecodeError("invalid field number 0");
    else reader.skipType(tag & 7);
  }
  if (reader.pos !== end) throw new DecodeError("a field ran past the end of its message");
  into[key] = value;
}

/** Resource: 1 attributes, 2 dropped_attributes_count. */
export function resource(reader: Reader, end: number, schemaUrl = ""): Resource {
  const result: Resource = { attributes: {}, droppedAttributesCount: 0, schemaUrl };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), result.attributes);
    else if (field === 2 && wireType === WireType.varint)
      result.droppedAttributesCount = reader.uint32();
    else return false;
    return true;
  });
  return result;
}

/** InstrumentationScope: 1 name, 2 version, 3 attributes, 4 dropped_attributes_count. */
export function scope(reader: Reader, end: number): Scope {
  const result: Scope = { name: "", version: "", attributes: {}, schemaUrl: "" };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.bytes) result.name = text(reader);
    else if (field === 2 && wireType === WireType.bytes) result.version = text(reader);
    else if (field === 3 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), result.attributes);
    else return false;
    return true;
  });
  return result;
}

export const emptyResource = (): Resource => ({
  attributes: {},
  droppedAttributesCount: 0,
  schemaUrl: "",
});
export const emptyScope = (): Scope => ({ name: "", version: "", attributes: {}, schemaUrl: "" });
