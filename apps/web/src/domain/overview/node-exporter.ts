// The Infrastructure panel's rows for hosts node_exporter reports (scraped by Vigil or
// remote-written), one per job: the hosts' CPU busy share and memory in use (means over the
// range) and their network traffic (received + sent, loopback aside), asked in PromQL.
import { db } from "@vigil/db";
import { nodeExporterMetrics as node } from "@vigil/otel";
import { instantQuery } from "../../prometheus/promql/query.ts";
import { storeQuerier } from "../../prometheus/querier.ts";
import type { ServiceInfra } from "./infrastructure.ts";
import type { TimeWindow } from "./time-range.ts";

function queries(rangeSeconds: number) {
  const range = `[${rangeSeconds}s]`;
  const notLoopback = `{device!="${node.loopbackDevice}"}`;
  return {
    instances: `count by (job) (count by (job, instance) (last_over_time(${node.cpuSeconds}${range})))`,
    cpu: `1 - avg by (job) (rate(${node.cpuSeconds}{mode="${node.idleMode}"}${range}))`,
    memory: `avg by (job) (avg_over_time(${node.memoryTotal}${range}) - avg_over_time(${node.memoryAvailable}${range}))`,
    network: `sum by (job) (rate(${node.networkReceived}${notLoopback}${range}) + rate(${node.networkSent}${notLoopback}${range}))`,
  };
}

/** One row per node_exporter job heard from in the window (none when there is none). */
export async function nodeExporterHosts(
  projectId: string,
  window: TimeWindow,
): Promise<ServiceInfra[]> {
  const at = Math.min(window.nowMs, window.toMs);
  const rangeSeconds = Math.max(1, Math.round((at - window.fromMs) / 1000));
  const querier = storeQuerier(db().reads(), projectId);
  const asked = queries(rangeSeconds);
  const [instances, cpu, memory, network] = await Promise.all(
    [asked.instances, asked.cpu, asked.memory, asked.network].map(async (query) => {
      const result = await instantQuery(querier, query, at);
      const byJob = new Map<string, number>();
      if (result.resultType === "vector")
        for (const { metric, value } of result.result) byJob.set(metric.job ?? "", value[1]);
      return byJob;
    }),
  );
  return [...(instances as Map<string, number>)].map(([job, count]) => ({
    service: job,
    instances: count,
    cpu: cpu?.get(job) ?? null,
    memory: memory?.get(job) ?? null,
    network: network?.get(job) ?? null,
    eventLoopP99: null,
  }));
}
