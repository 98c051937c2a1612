import type { VigilOptions } from "./config.ts";

/** The options `node --import @vigil/agent/register` reads from the environment. */
export function optionsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<VigilOptions> {
  const resource = parseResourceAttributes(env.OTEL_RESOURCE_ATTRIBUTES ?? "");
  const number = (value: string | undefined) => (value ? Number(value) : undefined);
  return {
    service: env.OTEL_SERVICE_NAME ?? resource["service.name"],
    endpoint: env.VIGIL_ENDPOINT,
    key: env.VIGIL_KEY,
    version: resource["service.version"],
    environment: resource["deployment.environment.name"] ?? resource["deployment.environment"],
    instanceId: env.VIGIL_INSTANCE_ID ?? resource["service.instance.id"],
    address: env.VIGIL_ADDRESS,
    port: number(env.VIGIL_PORT),
    tags: env.VIGIL_TAGS?.split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
    register: env.VIGIL_REGISTER === undefined ? undefined : env.VIGIL_REGISTER !== "false",
    heartbeatIntervalMs: number(env.VIGIL_HEARTBEAT_INTERVAL_MS),
    metricIntervalMs: number(env.OTEL_METRIC_EXPORT_INTERVAL),
    maxBufferedSpans: number(env.VIGIL_MAX_BUFFERED_SPANS),
    // An explicit OTEL_TRACES_SAMPLER wins over the agent's rate limit.
    tracesPerSecond: env.OTEL_TRACES_SAMPLER ? null : number(env.VIGIL_TRACES_PER_SECOND),
    handleSigterm: true,
  };
}

/** OTEL_RESOURCE_ATTRIBUTES: `key=value,key2=value2`, values percent-encoded. */
function parseResourceAttributes(raw: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const pair of raw.split(",")) {
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    try {
      attributes[pair.slice(0, at).trim()] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      // A malformed pair is skipped, as the OpenTelemetry SDKs do.
    }
  }
  return attributes;
}
