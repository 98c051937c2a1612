import { keepLog, type LogRecord, type LogsRequest } from "../logs-model.ts";
import { anyValue, keyValue } from "./common.ts";
import { decodeEnvelope } from "./envelope.ts";
import { fixed64, hexBytes, messageEnd, type Reader, readFields, text, WireType } from "./wire.ts";

// opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest and logs.v1, by field number.

export function decodeLogsProtobuf(body: Uint8Array): LogsRequest {
  return decodeEnvelope(body, { read: logRecord, keep: keepLog });
}

/**
 * LogRecord: 1 time_unix_nano, 11 observed_time_unix_nano, 2 severity_number, 3 severity_text,
 * 5 body, 6 attributes, 7 dropped_attributes_count, 8 flags, 9 trace_id, 10 span_id, 12 event_name.
 */
function logRecord(reader: Reader, end: number): LogRecord {
  const record: LogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: "",
    body: null,
    attributes: {},
    droppedAttributesCount: 0,
    flags: 0,
    traceId: "",
    spanId: "",
    eventName: "",
  };
  readFields(reader, end, (field, wireType) => {
    if (field === 1 && wireType === WireType.fixed64) record.timeUnixNano = fixed64(reader);
    else if (field === 11 && wireType === WireType.fixed64)
      record.observedTimeUnixNano = fixed64(reader);
    else if (field === 2 && wireType === WireType.varint) record.severityNumber = reader.int32();
    else if (field === 3 && wireType === WireType.bytes) record.severityText = text(reader);
    else if (field === 5 && wireType === WireType.bytes)
      record.body = anyValue(reader, messageEnd(reader));
    else if (field === 6 && wireType === WireType.bytes)
      keyValue(reader, messageEnd(reader), record.attributes);
    else if (field === 7 && wireType === WireType.varint)
      record.droppedAttributesCount = reader.uint32();
    else if (field === 8 && wireType === WireType.fixed32) record.flags = reader.fixed32();
    else if (field === 9 && wireType === WireType.bytes) record.traceId = hexBytes(reader);
    else if (field === 10 && wireType === WireType.bytes) record.spanId = hexBytes(reader);
    else if (field === 12 && wireType === WireType.bytes) record.eventName = text(reader);
    else return false;
    return true;
  });
  return record;
}
