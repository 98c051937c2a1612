import { limits, storableText, tooDeep } from "../limits.ts";
import {
  type Attributes,
  type AttributeValue,
  DecodeError,
  type Resource,
  type Scope,
} from "../model.ts";

// OTLP/JSON: lowerCamelCase keys, enums as integers, 64-bit integers as strings or numbers,
// ids as hex, bytes as base64; unknown fields are ignored.

export type Json = Record<string, unknown>;

export function object(value: unknown, path: string): Json {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw new DecodeError(`${path} must be an object`);
  return value as Json;
}

export function list(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new DecodeError(`${path} must be an array`);
  return value;
}

export function text(value: unknown, path: string): string {
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw new DecodeError(`${path} must be a string`);
  return storableText(value);
}

export function uint(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === "string" ? Number(value) : value;
  if (typeof number !== "number" || !Number.isInteger(number) || number < 0) {
    throw new DecodeError(`${path} must be a non-negative integer`);
  }
  return number;
}

/** A 64-bit integer, sent as a decimal string or a number. */
export function int64(value: unknown, path: string): bigint {
  if (value === undefined || value === null || value === "") return 0n;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d{1,20}$/.test(value)) return BigInt(value);
  throw new DecodeError(`${path} must be an integer (a decimal string or a number)`);
}

export function double(value: unknown, path: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "number") return value;
  if (value === "NaN") return Number.NaN;
  if (value === "Infinity") return Number.POSITIVE_INFINITY;
  if (value === "-Infinity") return Number.NEGATIVE_INFINITY;
  if (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)))
    return Number(value);
  throw new DecodeError(`${path} must be a number`);
}

/** An id: hex in any case, lower-cased; validity (length, zero) is checked per item later. */
export function hexId(value: unknown, path: string): string {
  const id = text(value, path).toLowerCase();
  // Not hex: a marker whose length is no valid id's, so the item is rejected and the rest kept.
  if (!/^[0-9a-f]*$/.test(id)) return "not-hex";
  return id;
}

export function anyValue(value: unknown, path: string, depth = 0): AttributeValue {
  if (depth > limits.anyValueDepth) throw new DecodeError(`${path}: ${tooDeep}`);
  const v = object(value, path);
  if ("stringValue" in v) return text(v.stringValue, `${path}.stringValue`);
  if ("boolValue" in v) return v.boolValue === true || v.boolValue === "true";
  if ("intValue" in v) {
    const big = int64(v.intValue, `${path}.intValue`);
    return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(big)
      : big.toString();
  }
  if ("doubleValue" in v) return double(v.doubleValue, `${path}.doubleValue`);
  if ("arrayValue" in v) {
    return list(object(v.arrayValue, `${path}.arrayValue`).values, `${path}.arrayValue.values`).map(
      (item, i) => anyValue(item, `${path}.arrayValue.values[${i}]`, depth + 1),
    );
  }
  if ("kvlistValue" in v)
    return attributes(
      object(v.kvlistValue, `${path}.kvlistValue`).values,
      `${path}.kvlistValue.values`,
      depth + 1,
    );
  if ("bytesValue" in v) return text(v.bytesValue, `${path}.bytesValue`);
  return null;
}

export function attributes(value: unknown, path: string, depth = 0): Attributes {
  const result: Attributes = {};
  list(value, path).forEach((item, i) => {
    const kv = object(item, `${path}[${i}]`);
    result[text(kv.key, `${path}[${i}].key`)] = anyValue(kv.value, `${path}[${i}].value`, depth);
  });
  return result;
}

export function resource(value: unknown, schemaUrl: unknown, path: string): Resource {
  const r = object(value, path);
  return {
    attributes: attributes(r.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(r.droppedAttributesCount, `${path}.droppedAttributesCount`),
    schemaUrl: text(schemaUrl, "schemaUrl"),
  };
}

export function scope(value: unknown, schemaUrl: unknown, path: string): Scope {
  const s = object(value, path);
  return {
    name: text(s.name, `${path}.name`),
    version: text(s.version, `${path}.version`),
    attributes: attributes(s.attributes, `${path}.attributes`),
    schemaUrl: text(schemaUrl, "schemaUrl"),
  };
}

/** Parses the body as JSON; a syntax error is a DecodeError. */
export function parseJson(body: Uint8Array): Json {
  let parsed: unknown;
  try {
    parsed = JSON.parse(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString("utf8"),
    );
  } catch (error) {
    throw new DecodeError(`invalid JSON: ${(error as Error).message}`);
  }
  return object(parsed, "request");
}
