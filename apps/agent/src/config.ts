import { hostname } from "node:os";

/** What `startVigil` takes. Only `service`, `endpoint` and `key` are required. */
export type VigilOptions = {
  /** The service's name (`service.name`). */
  service: string;
  /** The control plane's URL, e.g. http://vigil.internal:3000. */
  endpoint: string;
  /** An ingest key (Settings → API keys). */
  key: string;
  /** `service.version`; shown in the registry. */
  version?: string;
  /** `deployment.environment.name`, e.g. production. */
  environment?: string;
  /** This instance's id; default `<host>-<pid>`. */
  instanceId?: string;
  /** The address other services reach this instance at; default the host name. */
  address?: string;
  /** The port this instance serves on; default the first port the process listens on. */
  port?: number;
  /** Registry tags, e.g. ["primary", "eu-west-1"]. */
  tags?: string[];
  /** Registry metadata (string values). */
  meta?: Record<string, string>;
  /** Register this instance and heartbeat it (default true). */
  register?: boolean;
  /** How often the instance heartbeats, in ms (default 10 000); its TTL is three times that. */
  heartbeatIntervalMs?: number;
  /** Remove the instance after it has been critical this long (default "10m"). */
  deregisterCriticalAfter?: string;
  /** How often metrics are exported, in ms (default 10 000). */
  metricIntervalMs?: number;
  /**
   * New traces recorded per second at most (default 100); requests beyond that are still in the
   * RED metrics. null leaves sampling to OTEL_TRACES_SAMPLER.
   */
  tracesPerSecond?: number | null;
  /** The most finished spans kept while the control plane is unreachable (default 8192). */
  maxBufferedSpans?: number;
  /** Flush and stop on SIGTERM (default false; `@vigil/agent/register` turns it on). */
  handleSigterm?: boolean;
};

/** Options after defaults: what the agent runs with. */
export type AgentSettings = Required<
  Omit<VigilOptions, "port" | "version" | "environment" | "tracesPerSecond">
> & {
  tracesPerSecond: number | null;
  port: number | undefined;
  version: string | undefined;
  environment: string | undefined;
};

export type ConfigResult = { ok: true; settings: AgentSettings } | { ok: false; problem: string };

const positive = (value: number | undefined, fallback: number, min: number) =>
  value !== undefined && Number.isFinite(value) && value >= min ? value : fallback;

/** Checks options without throwing: the agent must never break the service it runs in. */
export function checkOptions(options: Partial<VigilOptions> | undefined): ConfigResult {
  if (!options?.service?.trim())
    return {
      ok: false,
      problem: "`service` is required (the service's name; OTEL_SERVICE_NAME with --import)",
    };
  let url: URL;
  try {
    url = new URL(options.endpoint ?? "");
  } catch {
    return {
      ok: false,
      problem: `\`endpoint\` must be the control plane's URL, e.g. http://localhost:3000 (got ${JSON.stringify(options.endpoint ?? "")})`,
    };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return { ok: false, problem: "`endpoint` must be an http or https URL" };
  if (!options.key?.trim())
    return { ok: false, problem: "`key` is required (an ingest key from Settings → API keys)" };
  if (options.port !== undefined && !(Number.isInteger(options.port) && options.port >= 0))
    return { ok: false, problem: "`port` must be a whole number from 0 to 65535" };
  const heartbeatIntervalMs = positive(options.heartbeatIntervalMs, 10_000, 100);
  return {
    ok: true,
    settings: {
      service: options.service.trim(),
      endpoint: url.origin + url.pathname.replace(/\/+$/, ""),
      key: options.key.trim(),
      version: options.version,
      environment: options.environment,
      instanceId: options.instanceId?.trim() || `${hostname()}-${process.pid}`,
      address: options.address ?? hostname(),
      port: options.port,
      tags: options.tags ?? [],
      meta: options.meta ?? {},
      register: options.register ?? true,
      heartbeatIntervalMs,
      deregisterCriticalAfter: options.deregisterCriticalAfter ?? "10m",
      metricIntervalMs: positive(options.metricIntervalMs, 10_000, 100),
      maxBufferedSpans: Math.floor(positive(options.maxBufferedSpans, 8192, 1)),
      tracesPerSecond:
        options.tracesPerSecond === null ? null : positive(options.tracesPerSecond, 100, 0.001),
      handleSigterm: options.handleSigterm ?? false,
    },
  };
}
