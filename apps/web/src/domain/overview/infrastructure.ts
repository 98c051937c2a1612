import { db } from "@vigil/db";
import { metricSummaries } from "@vigil/db/telemetry";
import { infraMetrics } from "@vigil/otel";
import { nodeExporterHosts } from "./node-exporter.ts";
import { nsWindow, type TimeWindow } from "./time-range.ts";

const EVENT_LOOP_P99 = `${infraMetrics.eventLoopDelayPrefix}p99`;
const METRICS = [
  infraMetrics.processCpu,
  infraMetrics.processMemory,
  infraMetrics.systemNetwork,
  EVENT_LOOP_P99,
];

export type ServiceInfra = {
  service: string;
  instances: number;
  /** Mean share of the CPUs the service's processes used. */
  cpu: number | null;
  /** Mean resident memory per instance, bytes. */
  memory: number | null;
  /** Network bytes a second (received + sent) on its hosts. */
  network: number | null;
  /** Worst event-loop delay p99 seen, milliseconds. */
  eventLoopP99: number | null;
};

/**
 * CPU, memory, network and event-loop delay per service, from the agent's runtime metrics, and
 * per node_exporter job.
 */
export async function infrastructure(
  projectId: string,
  window: TimeWindow,
): Promise<ServiceInfra[]> {
  const rows = await metricSummaries(db().reads(), projectId, nsWindow(window), METRICS);
  const seconds = Math.max(1, (Math.min(window.nowMs, window.toMs) - window.fromMs) / 1000);
  const services = new Map<string, ServiceInfra>();
  for (const row of rows) {
    const entry = services.get(row.service) ?? {
      service: row.service,
      instances: 0,
      cpu: null,
      memory: null,
      network: null,
      eventLoopP99: null,
    };
    entry.instances = Math.max(entry.instances, row.instances);
    if (row.metric === infraMetrics.processCpu) entry.cpu = row.avg;
    if (row.metric === infraMetrics.processMemory) entry.memory = row.avg;
    if (row.metric === infraMetrics.systemNetwork)
      entry.network = row.sum === null ? null : row.sum / seconds;
    if (row.metric === EVENT_LOOP_P99)
      entry.eventLoopP99 = row.max === null ? null : row.max * 1000;
    services.set(row.service, entry);
  }
  for (const host of await nodeExporterHosts(projectId, window))
    if (!services.has(host.service)) services.set(host.service, host);
  return [...services.values()];
}
