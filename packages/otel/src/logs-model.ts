import { attributesProblem, INT64_MAX, limits } from "./limits.ts";
import {
  type Attributes,
  type AttributeValue,
  addRejection,
  type Decoded,
  type Rejections,
} from "./model.ts";

export type LogRecord = {
  timeUnixNano: bigint;
  observedTimeUnixNano: bigint;
  severityNumber: number;
  severityText: string;
  body: AttributeValue;
  attributes: Attributes;
  droppedAttributesCount: number;
  flags: number;
  /** "" when the record is not tied to a trace. */
  traceId: string;
  spanId: string;
  eventName: string;
};

export type LogsRequest = Decoded<LogRecord>;

/** Why a record cannot be stored, or null. Ids, when present, must have their full length. */
export function logProblem(record: LogRecord): string | null {
  if (record.traceId !== "" && !/^[0-9a-f]{32}$/.test(record.traceId))
    return "a log record's trace_id must be 16 bytes or empty";
  if (record.spanId !== "" && !/^[0-9a-f]{16}$/.test(record.spanId))
    return "a log record's span_id must be 8 bytes or empty";
  if (record.severityNumber < 0 || record.severityNumber > 24)
    return "a log record's severity_number must be 0–24";
  if (record.timeUnixNano > INT64_MAX || record.observedTimeUnixNano > INT64_MAX)
    return "a log record's times must be below 2^63 nanoseconds";
  return (
    attributesProblem({ body: record.body }, "log") ??
    attributesProblem(record.attributes) ??
    (record.eventName.length > limits.spanNameLength
      ? `a log record's event_name is longer than ${limits.spanNameLength} characters`
      : null)
  );
}

/** Keeps a valid record (1 accepted) or records why it was refused (0). */
export function keepLog(record: LogRecord, rejected: Rejections): number {
  const problem = logProblem(record);
  if (!problem) return 1;
  addRejection(rejected, 1, problem);
  return 0;
}
