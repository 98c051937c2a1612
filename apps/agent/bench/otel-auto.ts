// The comparison: plain @opentelemetry/sdk-node with every auto-instrumentation, exporting
// OTLP/HTTP protobuf to the same sink as the agent (OTEL_EXPORTER_OTLP_ENDPOINT).
import { register } from "node:module";
import { getNodeAutoInstrumentations } from "@opentelemetry/auto-instrumentations-node";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";

// As the OpenTelemetry docs say for ES modules: the loader hook lets the instrumentations patch them.
register("@opentelemetry/instrumentation/hook.mjs", import.meta.url);
const sdk = new NodeSDK({
  serviceName: "bench-otel",
  traceExporter: new OTLPTraceExporter(),
  metricReaders: [
    new PeriodicExportingMetricReader({
      exporter: new OTLPMetricExporter(),
    }),
  ],
  instrumentations: [getNodeAutoInstrumentations()],
});
sdk.start();
process.once("SIGTERM", () => void sdk.shutdown());
