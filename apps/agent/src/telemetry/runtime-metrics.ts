import { readFile } from "node:fs/promises";
import { availableParallelism, cpus, freemem, totalmem } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { BatchObservableResult, Meter } from "@opentelemetry/api";
import { cpuSince } from "../cpu.ts";

/**
 * Host and runtime metrics under the names Vigil's infrastructure panel reads: process and
 * system CPU and memory, network bytes (Linux) and event-loop delay. Everything is read when
 * the metric reader collects, so nothing runs between exports except the event-loop histogram.
 */
export function observeRuntime(meter: Meter): () => void {
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  loop.enable();
  const processCores = cpuSince();
  let lastSystem = systemTimes();

  const processCpu = meter.createObservableGauge("process.cpu.utilization", {
    unit: "1",
    description: "Share of the available CPUs the process used since the last collection",
  });
  const processMemory = meter.createObservableGauge("process.memory.usage", {
    unit: "By",
    description: "Resident set size",
  });
  const systemCpu = meter.createObservableGauge("system.cpu.utilization", {
    unit: "1",
    description: "Share of the host's CPU time that was busy since the last collection",
  });
  const systemMemory = meter.createObservableGauge("system.memory.usage", { unit: "By" });
  const network = meter.createObservableCounter("system.network.io", { unit: "By" });
  const delay = {
    min: meter.createObservableGauge("nodejs.eventloop.delay.min", { unit: "s" }),
    max: meter.createObservableGauge("nodejs.eventloop.delay.max", { unit: "s" }),
    mean: meter.createObservableGauge("nodejs.eventloop.delay.mean", { unit: "s" }),
    p50: meter.createObservableGauge("nodejs.eventloop.delay.p50", { unit: "s" }),
    p90: meter.createObservableGauge("nodejs.eventloop.delay.p90", { unit: "s" }),
    p99: meter.createObservableGauge("nodejs.eventloop.delay.p99", { unit: "s" }),
  };

  const observe = async (result: BatchObservableResult) => {
    const cores = processCores();
    if (cores !== null) result.observe(processCpu, cores / availableParallelism());
    result.observe(processMemory, process.memoryUsage.rss());

    const times = systemTimes();
    const total = times.total - lastSystem.total;
    if (total > 0) result.observe(systemCpu, 1 - (times.idle - lastSystem.idle) / total);
    lastSystem = times;
    const free = freemem();
    result.observe(systemMemory, totalmem() - free, { "system.memory.state": "used" });
    result.observe(systemMemory, free, { "system.memory.state": "free" });

    for (const [device, bytes] of await networkBytes()) {
      result.observe(network, bytes.receive, {
        "network.interface.name": device,
        "network.io.direction": "receive",
      });
      result.observe(network, bytes.transmit, {
        "network.interface.name": device,
        "network.io.direction": "transmit",
      });
    }

    if (loop.count > 0) {
      const seconds = (ns: number) => loopDelaySeconds(ns);
      result.observe(delay.min, seconds(loop.min));
      result.observe(delay.max, seconds(loop.max));
      result.observe(delay.mean, seconds(loop.mean));
      result.observe(delay.p50, seconds(loop.percentile(50)));
      result.observe(delay.p90, seconds(loop.percentile(90)));
      result.observe(delay.p99, seconds(loop.percentile(99)));
    }
    loop.reset();
  };
  const observables = [processCpu, processMemory, systemCpu, systemMemory, network];
  meter.addBatchObservableCallback(observe, [...observables, ...Object.values(delay)]);
  return () => {
    meter.removeBatchObservableCallback(observe, [...observables, ...Object.values(delay)]);
    loop.disable();
  };
}

const LOOP_RESOLUTION_MS = 20;

/**
 * Node's event-loop histogram records the whole interval between its timer's ticks, so an idle
 * loop reads the resolution (20 ms): the delay is what goes past it.
 */
export function loopDelaySeconds(intervalNs: number, resolutionMs = LOOP_RESOLUTION_MS): number {
  return Math.max(0, intervalNs - resolutionMs * 1e6) / 1e9;
}

function systemTimes(): { idle: number; total: number } {
  let idle = 0;
  let total = 0;
  for (const cpu of cpus()) {
    idle += cpu.times.idle;
    total += cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq + cpu.times.idle;
  }
  return { idle, total };
}

/** Bytes received and sent per interface since boot, from /proc/net/dev (none elsewhere). */
async function networkBytes(): Promise<Map<string, { receive: number; transmit: number }>> {
  const devices = new Map<string, { receive: number; transmit: number }>();
  const text = await readFile("/proc/net/dev", "utf8").catch(() => "");
  for (const line of text.split("\n").slice(2)) {
    const [name, rest] = line.split(":");
    const fields = rest?.trim().split(/\s+/).map(Number);
    const device = name?.trim();
    if (!device || device === "lo" || !fields || fields.length < 9) continue;
    devices.set(device, { receive: fields[0] ?? 0, transmit: fields[8] ?? 0 });
  }
  return devices;
}
