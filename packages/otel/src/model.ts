// What Vigil keeps of an OTLP request, the same whether it arrived as protobuf or JSON.

/** An attribute value as JSON: ints beyond 2^53 become decimal strings, bytes become base64. */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [key: string]: AttributeValue };

export type Attributes = Record<string, AttributeValue>;

export type Resource = {
  attributes: Attributes;
  droppedAttributesCount: number;
  schemaUrl: string;
};

export type Scope = { name: string; version: string; attributes: Attributes; schemaUrl: string };

export const SpanKind = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
} as const;
export const StatusCode = { unset: 0, ok: 1, error: 2 } as const;

export type SpanEvent = {
  timeUnixNano: bigint;
  name: string;
  attributes: Attributes;
  droppedAttributesCount: number;
};

export type SpanLink = {
  traceId: string;
  spanId: string;
  traceState: string;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
};

export type Span = {
  traceId: string;
  spanId: string;
  /** "" for a root span. */
  parentSpanId: string;
  traceState: string;
  flags: number;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  attributes: Attributes;
  droppedAttributesCount: number;
  events: SpanEvent[];
  droppedEventsCount: number;
  links: SpanLink[];
  droppedLinksCount: number;
  statusCode: number;
  statusMessage: string;
};

/** Items refused one by one (OTLP partial success); the rest of the request is kept. */
export type Rejections = { count: number; messages: string[] };

/** Counts refused items, keeping the first few reasons for the partial-success message. */
export function addRejection(rejected: Rejections, count: number, message: string): void {
  rejected.count += count;
  if (rejected.messages.length < 5) rejected.messages.push(message);
}

export type ScopeItems<T> = { scope: Scope; items: T[] };
export type ResourceItems<T> = { resource: Resource; scopes: ScopeItems<T>[] };

/**
 * A decoded Export{Trace,Metrics,Logs}ServiceRequest: the kept items grouped by resource and
 * scope, how many were accepted (spans, data points or log records), and what was refused.
 */
export type Decoded<T> = { resources: ResourceItems<T>[]; accepted: number; rejected: Rejections };

export type TracesRequest = Decoded<Span>;

/** The body cannot be decoded at all: the whole request is refused with 400. */
export class DecodeError extends Error {
  override name = "DecodeError";
}
