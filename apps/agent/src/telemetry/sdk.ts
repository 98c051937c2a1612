import { type BatchObservableResult, context, type Meter, metrics } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode, suppressTracing } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-proto";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import type { Instrumentation } from "@opentelemetry/instrumentation";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { envDetector, hostDetector, resourceFromAttributes } from "@opentelemetry/resources";
import {
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { ParentBasedSampler } from "@opentelemetry/sdk-trace";
import type { AgentSettings } from "../config.ts";
import type { Problems } from "../problems.ts";
import { instrumentHttpServers } from "./http-server.ts";
import { defaultInstrumentations } from "./instrumentations.ts";
import { observeRuntime } from "./runtime-metrics.ts";
import { RateLimitedSampler } from "./sampler.ts";
import { SpanQueue } from "./span-queue.ts";

export type Telemetry = {
  meter(): Meter;
  spans: SpanQueue;
  shutdown(): Promise<void>;
};

/**
 * `@opentelemetry/sdk-node` set up for Vigil: traces and metrics over OTLP/HTTP protobuf with
 * gzip, the default instrumentations plus any extra, host and runtime metrics, and counters of
 * what the agent itself dropped.
 */
export function startTelemetry(
  settings: AgentSettings,
  extra: Instrumentation[],
  sdkVersion: string,
  problems: Problems,
): Telemetry {
  const exporterOptions = (path: string) => ({
    url: `${settings.endpoint}${path}`,
    headers: { authorization: `Bearer ${settings.key}` },
    compression: CompressionAlgorithm.GZIP,
  });
  const spans = new SpanQueue(new OTLPTraceExporter(exporterOptions("/v1/traces")), {
    maxBuffered: settings.maxBufferedSpans,
    onResult: (result) => {
      if (result.code === ExportResultCode.SUCCESS) problems.clear();
      else {
        const error = result.error as (Error & { code?: number }) | undefined;
        problems.failed(typeof error?.code === "number" ? error.code : 0, error?.message ?? "");
      }
    },
  });
  const metricExporter = new CountingMetricExporter(
    new OTLPMetricExporter(exporterOptions("/v1/metrics")),
  );
  const sdk = new NodeSDK({
    serviceName: settings.service,
    resource: resourceFromAttributes({
      "service.name": settings.service,
      "service.instance.id": settings.instanceId,
      ...(settings.version ? { "service.version": settings.version } : {}),
      ...(settings.environment ? { "deployment.environment.name": settings.environment } : {}),
      "telemetry.distro.name": "@vigil/agent",
      "telemetry.distro.version": sdkVersion,
    }),
    resourceDetectors: [envDetector, hostDetector],
    spanProcessors: [spans],
    ...(settings.tracesPerSecond === null
      ? {}
      : {
          sampler: new ParentBasedSampler({
            root: new RateLimitedSampler(settings.tracesPerSecond),
          }),
        }),
    metricReaders: [
      new PeriodicExportingMetricReader({
        exporter: metricExporter,
        exportIntervalMillis: settings.metricIntervalMs,
        exportTimeoutMillis: Math.min(30_000, settings.metricIntervalMs),
      }),
    ],
    instrumentations: [defaultInstrumentations(settings.endpoint), extra],
  });
  sdk.start();
  // Health probes are noise at high rates; they are neither traced nor timed.
  const stopHttpServers = instrumentHttpServers(/^\/(healthz|readyz|livez)\b/);

  const meter = () => globalMeter();
  const stopRuntime = observeRuntime(meter());
  const stopSelf = observeSelf(meter(), spans, metricExporter);
  return {
    meter,
    spans,
    async shutdown() {
      stopRuntime();
      stopSelf();
      stopHttpServers();
      await sdk.shutdown();
    },
  };
}

function globalMeter(): Meter {
  return metrics.getMeter("@vigil/agent");
}

/** The agent's own health: what it dropped and what it still holds. */
function observeSelf(meter: Meter, spans: SpanQueue, exporter: CountingMetricExporter) {
  const dropped = meter.createObservableCounter("vigil.agent.dropped", {
    unit: "1",
    description:
      "Telemetry the agent dropped: spans when its buffer was full, metric points whose export failed",
  });
  const buffered = meter.createObservableGauge("vigil.agent.buffered", { unit: "1" });
  const observe = (result: BatchObservableResult) => {
    result.observe(dropped, spans.dropped, { signal: "spans" });
    result.observe(dropped, exporter.droppedPoints, { signal: "metrics" });
    result.observe(buffered, spans.buffered, { signal: "spans" });
  };
  meter.addBatchObservableCallback(observe, [dropped, buffered]);
  return () => meter.removeBatchObservableCallback(observe, [dropped, buffered]);
}

/**
 * Counts the data points of metric exports that failed. Metrics are cumulative, so the next
 * export that gets through carries the totals; only the resolution in between is lost.
 */
class CountingMetricExporter implements PushMetricExporter {
  readonly #inner: PushMetricExporter;
  droppedPoints = 0;

  constructor(inner: PushMetricExporter) {
    this.#inner = inner;
  }

  export(metrics: ResourceMetrics, done: (result: ExportResult) => void): void {
    const send = () =>
      this.#inner.export(metrics, (result) => {
        if (result.code !== ExportResultCode.SUCCESS)
          for (const scope of metrics.scopeMetrics)
            for (const metric of scope.metrics) this.droppedPoints += metric.dataPoints.length;
        done(result);
      });
    context.with(suppressTracing(context.active()), send);
  }

  forceFlush(): Promise<void> {
    return this.#inner.forceFlush();
  }

  shutdown(): Promise<void> {
    return this.#inner.shutdown();
  }
}
