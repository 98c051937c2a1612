import { db } from "@vigil/db";
import type { OutboundPolicy } from "../net/outbound.ts";
import { outboundPolicy } from "../net/policy.ts";
import {
  DEFAULT_INTERVAL_MS,
  DEFAULT_SAMPLE_LIMIT,
  DEFAULT_TIMEOUT_MS,
  type ScrapeJob,
} from "./config.ts";

// What the leader scrapes: the static targets of VIGIL_SCRAPE_FILE (the operator's own, for the
// project the file is applied to, allowed to reach internal addresses), and every registry
// instance that opts in with Meta.prometheus_path (registered by services, so under the outbound
// rules for user-supplied URLs).

export type ScrapeTarget = {
  /** Identifies the target across runs (project, job and URL). */
  key: string;
  projectId: string;
  job: string;
  instance: string;
  url: string;
  labels: Record<string, string>;
  intervalMs: number;
  timeoutMs: number;
  sampleLimit: number;
  policy: OutboundPolicy;
};

let fromFile: ScrapeTarget[] = [];

/** Sets the file's jobs (read at start) for `projectId`. */
export function setScrapeFile(projectId: string, jobs: ScrapeJob[]): void {
  fromFile = jobs.flatMap((job) =>
    job.targets.map(({ address, labels }) => {
      const url = `${job.scheme}://${address}${job.metricsPath}`;
      return {
        key: `${projectId} ${job.jobName} ${url}`,
        projectId,
        job: job.jobName,
        instance: address,
        url,
        labels,
        intervalMs: job.intervalMs,
        timeoutMs: job.timeoutMs,
        sampleLimit: job.sampleLimit,
        policy: { allowInternal: true },
      };
    }),
  );
}

/** Meta keys a registered instance may set to shape its scrape (Consul-style, as strings). */
const META = {
  path: "prometheus_path",
  interval: "prometheus_interval",
  scheme: "prometheus_scheme",
};

export async function registryTargets(): Promise<ScrapeTarget[]> {
  const rows = await db().pool.query<{
    project_id: string;
    service: string;
    address: string;
    port: number;
    meta: Record<string, unknown>;
  }>(
    `SELECT project_id, service, address, port, meta FROM registry_instance WHERE meta ? $1 AND address <> '' AND port > 0`,
    [META.path],
  );
  const policy = outboundPolicy();
  return rows.rows.flatMap((row) => {
    const path = String(row.meta[META.path]);
    if (!path.startsWith("/") || path.length > 512) return [];
    const scheme = row.meta[META.scheme] === "https" ? "https" : "http";
    const host = row.address.includes(":") ? `[${row.address}]` : row.address;
    const instance = `${host}:${row.port}`;
    const url = `${scheme}://${instance}${path}`;
    const seconds = Number(row.meta[META.interval] ?? "");
    const intervalMs =
      Number.isFinite(seconds) && seconds >= 1 && seconds <= 3600
        ? seconds * 1000
        : DEFAULT_INTERVAL_MS;
    return [
      {
        key: `${row.project_id} ${row.service} ${url}`,
        projectId: row.project_id,
        job: row.service,
        instance,
        url,
        labels: {},
        intervalMs,
        timeoutMs: Math.min(intervalMs, DEFAULT_TIMEOUT_MS),
        sampleLimit: DEFAULT_SAMPLE_LIMIT,
        policy,
      },
    ];
  });
}

export async function scrapeTargets(): Promise<ScrapeTarget[]> {
  return [...fromFile, ...(await registryTargets())];
}
