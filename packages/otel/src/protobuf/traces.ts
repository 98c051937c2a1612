import type { Span, SpanEvent, SpanLink, TracesRequest } from "../model.ts";
import { keepSpan } from "../validate.ts";
import { keyValue } from "./common.ts";
import { decodeEnvelope } from "./envelope.ts";
import { fixed64, hexBytes, messageEnd, type Reader, readFields, text, WireType } from "./wire.ts";

// opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest and trace.v1, by field number.

/** Decodes an ExportTraceServiceRequest; invalid spans are counted as rejected, not kept. */
export function decodeTracesProtobuf(body: Uint8Array): TracesRequest {
  return decodeEnvelope(body, { read: span, keep: keepSpan });
}

/**
 * Span: 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind,
 * 7 start_time_unix_nano, 8 end_time_unix_nano, 9 attributes, 10 dropped_attributes_count,
 * 11 events, 12 dropped_events_count, 13 links, 14 dropped_links_count, 15 status, 16 flags.
 */
function span(reader: Reader, end: number): Span {
  const result: Span = {
    traceId: "",
    spanId: "",
    parentSpanId: "",
    traceState: "",
    flags: 0,
    name: "",
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: {},
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    statusCode: 0,
    statusMessage: "",
  };
  readFields(reader, end, (field, wireType) => {
    switch (wireType === WireType.bytes ? field : -field) {
      case 1:
        result.traceId = hexBytes(reader);
        return true;
      case 2:
        result.spanId = hexBytes(reader);
        return true;
      case 3:
        result.traceState = text(reader);
        return true;
      case 4:
        result.parentSpanId = hexBytes(reader);
        return true;
      case 5:
        result.name = text(reader);
        return true;
      case 9:
        keyValue(reader, messageEnd(reader), result.attributes);
        return true;
      case 11:
        result.events.push(event(reader, messageEnd(reader)));
        return true;
      case 13:
        result.links.push(link(reader, messageEnd(reader)));
        return true;
      case 15:
        status(reader, messageEnd(reader), result);
        return true;
    }
    if (wireType === WireType.varint) {
      if (field === 6) result.kind = reader.uint32();
      else if (field === 10) result.droppedAttributesCount = reader.uint32();
      else if (field === 12) result.droppedEventsCount = reader.uint32();
      else if (field === 14) result.droppedLinksCount = reader.uint32();
      else return false;
      return true;
    }
    if (wireType === WireType.fixed64 && (field === 7 || field === 8)) {
      if (field === 7) result.startTimeUnixNano = fixed64(reader);
      else result.endTimeUnixNano = fixed64(reader);
      return true;
    }
    if (wireType === WireType.fixed32 && field === 16) {
      result.flags = reader.fixed32();
      return true;
    }
    return false;
  });
  return result;
}

/** Span.Event: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count. */
function event(reader: Reader, end: number): SpanEvent {
  const result: SpanEvent = {
    timeUnixNano: 0n,
    name: "",
    attributes: {},
    droppedAttributesCount: 0,
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.fixed64) result.timeUnixNano = fixed64(reader);
    else if (field === 2 && wireType === WireType.bytes) result.name = text(reader);
    else if (field === 3 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), result.attributes);
    else if (field === 4 && wireType === WireType.varint)
      result.droppedAttributesCount = reader.uint32();
    else return false;
    return true;
  });
  return result;
}

/** Span.Link: 1 trace_id, 2 span_id, 3 trace_state, 4 attributes, 5 dropped_attributes_count, 6 flags. */
function link(reader: Reader, end: number): SpanLink {
  const result: SpanLink = {
    traceId: "",
    spanId: "",
    traceState: "",
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.bytes) result.traceId = hexBytes(reader);
    else if (field === 2 && wireType === WireType.bytes) result.spanId = hexBytes(reader);
    else if (field === 3 && wireType === WireType.bytes) result.traceState = text(reader);
    else if (field === 4 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), result.attributes);
    else if (field === 5 && wireType === WireType.varint)
      result.droppedAttributesCount = reader.uint32();
    else if (field === 6 && wireType === WireType.fixed32) result.flags = reader.fixed32();
    else return false;
    return true;
  });
  return result;
}

/** Status: 2 message, 3 code (1 is reserved). */
function status(reader: Reader, end: number, into: Span): void {
  readFields(reader, end, (field, wireType) => {
    if (field === 2 && wireType === WireType.bytes) into.statusMessage = text(reader);
    else if (field === 3 && wireType === WireType.varint) into.statusCode = reader.uint32();
    else return false;
    return true;
  });
}
