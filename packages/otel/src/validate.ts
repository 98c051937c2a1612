import { attributesProblem, INT64_MAX, limits } from "./limits.ts";
import { addRejection, type Rejections, type Span } from "./model.ts";

// Decoders produce ids as lower-case hex (JSON ones that are not hex become "not-hex"),
// so a length check is enough, and much cheaper than a regular expression per span.
const ZERO_TRACE = "0".repeat(32);
const ZERO_SPAN = "0".repeat(16);

/**
 * Why a span cannot be stored, or null when it can (OTLP rejects such spans one by one). An
 * all-zero parent id, which some SDKs send for root spans, becomes "".
 */
export function spanProblem(span: Span): string | null {
  if (span.parentSpanId === ZERO_SPAN) span.parentSpanId = "";
  if (span.traceId.length !== 32 || span.traceId === ZERO_TRACE) {
    return `span "${span.name}": trace_id must be 16 bytes, not all zero`;
  }
  if (span.spanId.length !== 16 || span.spanId === ZERO_SPAN) {
    return `span "${span.name}": span_id must be 8 bytes, not all zero`;
  }
  if (span.parentSpanId !== "" && span.parentSpanId.length !== 16) {
    return `span "${span.name}": parent_span_id must be 8 bytes or empty`;
  }
  if (span.startTimeUnixNano === 0n) return `span "${span.name}": start_time_unix_nano is missing`;
  if (span.endTimeUnixNano < span.startTimeUnixNano)
    return `span "${span.name}": ends before it starts`;
  if (span.startTimeUnixNano > INT64_MAX || span.endTimeUnixNano > INT64_MAX)
    return `span "${span.name}": times must be below 2^63 nanoseconds`;
  return sizeProblem(span);
}

function sizeProblem(span: Span): string | null {
  if (span.name.length > limits.spanNameLength)
    return `a span name is longer than ${limits.spanNameLength} characters`;
  if (span.statusMessage.length > limits.stringLength)
    return `span "${span.name}": status message is longer than ${limits.stringLength} characters`;
  const problem =
    attributesProblem(span.attributes) ??
    span.events.reduce<string | null>(
      (found, event) => found ?? attributesProblem(event.attributes, "event attribute"),
      null,
    ) ??
    span.links.reduce<string | null>(
      (found, link) => found ?? attributesProblem(link.attributes, "link attribute"),
      null,
    );
  return problem && `span "${span.name}": ${problem}`;
}

/** Keeps a valid span (1 accepted) or records why it was refused (0). */
export function keepSpan(span: Span, rejected: Rejections): number {
  const problem = spanProblem(span);
  if (!problem) return 1;
  addRejection(rejected, 1, problem);
  return 0;
}
