import { context, TraceFlags } from "@opentelemetry/api";
import { type ExportResult, ExportResultCode, suppressTracing } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter, SpanProcessor } from "@opentelemetry/sdk-trace";
import { Backoff } from "../backoff.ts";

export type SpanQueueOptions = {
  /** The most finished spans held; past it new spans are dropped and counted. */
  maxBuffered: number;
  /** Spans per export request. */
  batchSize?: number;
  /** How long a finished span may wait for a full batch, in ms. */
  flushIntervalMs?: number;
  /** Told the outcome of every export. */
  onResult?: (result: ExportResult) => void;
};

/**
 * Holds finished spans in a fixed-size buffer and exports them in batches, one request at a time.
 * When the control plane is unreachable the buffer keeps what fits and retries with backoff; what
 * does not fit is dropped and counted, never blocking or growing the service's memory.
 */
export class SpanQueue implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #max: number;
  readonly #batchSize: number;
  readonly #timer: NodeJS.Timeout;
  readonly #backoff = new Backoff(1_000, 30_000);
  readonly #onResult: (result: ExportResult) => void;
  #buffer: ReadableSpan[] = [];
  #sending: Promise<boolean> | null = null;
  #retryAt = 0;
  #stopped = false;
  /** Spans dropped since start because the buffer was full. */
  dropped = 0;

  constructor(exporter: SpanExporter, options: SpanQueueOptions) {
    this.#exporter = exporter;
    this.#max = options.maxBuffered;
    this.#batchSize = Math.min(options.batchSize ?? 512, options.maxBuffered);
    this.#onResult = options.onResult ?? (() => {});
    this.#timer = setInterval(() => this.#sendDue(), options.flushIntervalMs ?? 1_000);
    this.#timer.unref();
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    if (this.#buffer.length >= this.#max) {
      this.dropped++;
      return;
    }
    this.#buffer.push(span);
    if (this.#buffer.length >= this.#batchSize) this.#sendDue();
  }

  /** Exports everything buffered; stops early (keeping the rest) if the control plane refuses. */
  async forceFlush(): Promise<void> {
    while (this.#buffer.length > 0 || this.#sending) {
      const sent = await (this.#sending ?? this.#send());
      if (!sent) return;
    }
  }

  async shutdown(): Promise<void> {
    clearInterval(this.#timer);
    await this.forceFlush();
    this.#stopped = true;
    await this.#exporter.shutdown();
  }

  #sendDue(): void {
    if (this.#sending || this.#buffer.length === 0 || Date.now() < this.#retryAt) return;
    void this.#send();
  }

  /** Sends one batch; true when it was accepted. */
  #send(): Promise<boolean> {
    const batch = this.#buffer.splice(0, this.#batchSize);
    this.#sending = new Promise<ExportResult>((resolve) => {
      try {
        // The export's own HTTP request must not become a span (and the next export, and so on).
        context.with(suppressTracing(context.active()), () =>
          this.#exporter.export(batch, resolve),
        );
      } catch (error) {
        resolve({ code: ExportResultCode.FAILED, error: error as Error });
      }
    }).then((result) => {
      this.#sending = null;
      this.#onResult(result);
      if (result.code === ExportResultCode.SUCCESS) {
        this.#backoff.reset();
        this.#retryAt = 0;
        return true;
      }
      // Put the batch back in front; whatever no longer fits is dropped, newest first.
      const kept = batch.concat(this.#buffer);
      this.dropped += Math.max(0, kept.length - this.#max);
      this.#buffer = kept.slice(0, this.#max);
      this.#retryAt = Date.now() + this.#backoff.next();
      return false;
    });
    return this.#sending;
  }
}
