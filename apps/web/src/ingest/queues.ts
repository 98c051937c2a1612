import { db } from "@vigil/db";
import {
  GroupCommitQueue,
  type LogRow,
  type MetricPointRow,
  type SpanRow,
  writeLogs,
  writeMetricPoints,
  writeSpans,
} from "@vigil/db/telemetry";
import { selfMetrics } from "./stats.ts";

type Queues = {
  spans: GroupCommitQueue<SpanRow>;
  metricPoints: GroupCommitQueue<MetricPointRow>;
  logs: GroupCommitQueue<LogRow>;
};

function createQueues(): Queues {
  const flushed = (signal: string) => (_rows: number, ms: number, error?: unknown) =>
    selfMetrics.flushSeconds.observe({ signal, result: error ? "failed" : "ok" }, ms / 1000);
  const queues: Queues = {
    spans: new GroupCommitQueue<SpanRow>({
      write: (rows) => writeSpans(db().pool, rows),
      maxQueuedRows: 200_000,
      maxBatchRows: 20_000,
      concurrency: 2,
      onFlush: flushed("traces"),
    }),
    metricPoints: new GroupCommitQueue<MetricPointRow>({
      write: (rows) => writeMetricPoints(db().pool, rows),
      maxQueuedRows: 500_000,
      maxBatchRows: 50_000,
      concurrency: 2,
      onFlush: flushed("metrics"),
    }),
    logs: new GroupCommitQueue<LogRow>({
      write: (rows) => writeLogs(db().pool, rows),
      maxQueuedRows: 200_000,
      maxBatchRows: 20_000,
      concurrency: 2,
      onFlush: flushed("logs"),
    }),
  };
  selfMetrics.sources.queueDepth = () =>
    queues.spans.depth + queues.metricPoints.depth + queues.logs.depth;
  return queues;
}

const slot = Symbol.for("vigil.ingestQueues");
type Slot = { [slot]?: Queues };

/** The process's write queues: concurrent requests are written together, one COPY per flush. */
export function ingestQueues(): Queues {
  const holder = globalThis as Slot;
  holder[slot] ??= createQueues();
  return holder[slot];
}
