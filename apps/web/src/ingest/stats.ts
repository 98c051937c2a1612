import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Vigil's own metrics (GET /metrics): ingest counters, queue depth, flush latency, leadership. */
function createSelfMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vigil_" });
  const sources = { queueDepth: () => 0, isLeader: () => false };
  return {
    registry,
    sources,
    requests: new Counter({
      name: "vigil_ingest_requests_total",
      help: "OTLP and remote-write requests answered, by signal (prometheus: remote write) and HTTP status code.",
      labelNames: ["signal", "code"] as const,
      registers: [registry],
    }),
    accepted: new Counter({
      name: "vigil_ingest_items_total",
      help: "Spans, data points or log records accepted and stored.",
      labelNames: ["signal"] as const,
      registers: [registry],
    }),
    rejected: new Counter({
      name: "vigil_ingest_rejected_items_total",
      help: "Items refused one by one (OTLP partial success).",
      labelNames: ["signal"] as const,
      registers: [registry],
    }),
    limited: new Counter({
      name: "vigil_ingest_limited_items_total",
      help: "Data points refused because a project's ingest limit was reached, by limit.",
      labelNames: ["limit"] as const,
      registers: [registry],
    }),
    flushSeconds: new Histogram({
      name: "vigil_ingest_flush_seconds",
      help: "Time to write one batch to PostgreSQL, by signal and result.",
      labelNames: ["signal", "result"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    queueRows: new Gauge({
      name: "vigil_ingest_queue_rows",
      help: "Rows waiting for or being written by the group-commit writer.",
      registers: [registry],
      collect() {
        this.set(sources.queueDepth());
      },
    }),
    leader: new Gauge({
      name: "vigil_jobs_leader",
      help: "1 when this replica holds the background-job leader lock.",
      registers: [registry],
      collect() {
        this.set(sources.isLeader() ? 1 : 0);
      },
    }),
  };
}

const slot = Symbol.for("vigil.selfMetrics");
type Slot = { [slot]?: ReturnType<typeof createSelfMetrics> };
(globalThis as Slot)[slot] ??= createSelfMetrics();

export const selfMetrics = (globalThis as Slot)[slot] as ReturnType<typeof createSelfMetrics>;
