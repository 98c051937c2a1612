import type { Span, TracesRequest } from "../model.ts";
import { keepSpan } from "../validate.ts";
import { attributes, hexId, int64, list, object, text, uint } from "./common.ts";
import { decodeJsonEnvelope } from "./envelope.ts";

/** Decodes an ExportTraceServiceRequest in OTLP/JSON; invalid spans are counted as rejected. */
export function decodeTracesJson(body: Uint8Array): TracesRequest {
  return decodeJsonEnvelope(
    body,
    { resources: "resourceSpans", scopes: "scopeSpans", items: "spans" },
    span,
    keepSpan,
  );
}

function span(value: unknown, path: string): Span {
  const s = object(value, path);
  const status = object(s.status, `${path}.status`);
  return {
    traceId: hexId(s.traceId, `${path}.traceId`),
    spanId: hexId(s.spanId, `${path}.spanId`),
    parentSpanId: hexId(s.parentSpanId, `${path}.parentSpanId`),
    traceState: text(s.traceState, `${path}.traceState`),
    flags: uint(s.flags, `${path}.flags`),
    name: text(s.name, `${path}.name`),
    kind: uint(s.kind, `${path}.kind`),
    startTimeUnixNano: int64(s.startTimeUnixNano, `${path}.startTimeUnixNano`),
    endTimeUnixNano: int64(s.endTimeUnixNano, `${path}.endTimeUnixNano`),
    attributes: attributes(s.attributes, `${path}.attributes`),
    droppedAttributesCount: uint(s.droppedAttributesCount, `${path}.droppedAttributesCount`),
    events: list(s.events, `${path}.events`).map((eventValue, i) => {
      const e = object(eventValue, `${path}.events[${i}]`);
      return {
        timeUnixNano: int64(e.timeUnixNano, `${path}.events[${i}].timeUnixNano`),
        name: text(e.name, `${path}.events[${i}].name`),
        attributes: attributes(e.attributes, `${path}.events[${i}].attributes`),
        droppedAttributesCount: uint(
          e.droppedAttributesCount,
          `${path}.events[${i}].droppedAttributesCount`,
        ),
      };
    }),
    droppedEventsCount: uint(s.droppedEventsCount, `${path}.droppedEventsCount`),
    links: list(s.links, `${path}.links`).map((linkValue, i) => {
      const l = object(linkValue, `${path}.links[${i}]`);
      return {
        traceId: hexId(l.traceId, `${path}.links[${i}].traceId`),
        spanId: hexId(l.spanId, `${path}.links[${i}].spanId`),
        traceState: text(l.traceState, `${path}.links[${i}].traceState`),
        attributes: attributes(l.attributes, `${path}.links[${i}].attributes`),
        droppedAttributesCount: uint(
          l.droppedAttributesCount,
          `${path}.links[${i}].droppedAttributesCount`,
        ),
        flags: uint(l.flags, `${path}.links[${i}].flags`),
      };
    }),
    droppedLinksCount: uint(s.droppedLinksCount, `${path}.droppedLinksCount`),
    statusCode: uint(status.code, `${path}.status.code`),
    statusMessage: text(status.message, `${path}.status.message`),
  };
}
