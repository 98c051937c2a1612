// @vigil/otel: OTLP decoding and normalisation, and the metric vocabulary.
export { decodeLogsJson } from "./json/logs.ts";
export { decodeMetricsJson } from "./json/metrics.ts";
export { decodeTracesJson } from "./json/traces.ts";
export { INT64_MAX, limits, storableText } from "./limits.ts";
export * from "./logs-model.ts";
export * from "./metrics-model.ts";
export * from "./model.ts";
export * from "./prometheus/naming.ts";
export * from "./prometheus/remote-write.ts";
export { decodeLogsProtobuf } from "./protobuf/logs.ts";
export { decodeMetricsProtobuf } from "./protobuf/metrics.ts";
export { decodeTracesProtobuf } from "./protobuf/traces.ts";
export { identityProblem, type ServiceIdentity, serviceIdentity } from "./service-identity.ts";
export * from "./vocabulary.ts";
