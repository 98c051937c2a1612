import { queryMetric, searchTraces } from "@vigil/db/telemetry";
import { setupIngest } from "@vigil/web/testing";
import { afterEach, describe, expect, it } from "vitest";
import { agentEnv, healthOf, ns, pool } from "./control-plane.ts";
import { eventually, type RunningService, startService } from "./helpers.ts";

const plane = setupIngest();
let service: RunningService | null = null;
afterEach(async () => {
  await service?.stop("SIGKILL");
  service = null;
});

const metricPoints = async (name: string, service: string) => {
  const result = await queryMetric(pool(), plane.projectId, {
    name,
    service,
    fromNs: ns(Date.now() - 60_000),
    toNs: ns(Date.now() + 60_000),
    stepNs: ns(60_000),
  });
  return result.buckets.reduce((total, bucket) => total + bucket.points, 0) > 0
    ? result
    : undefined;
};

describe("a service started with node --import @vigil/agent/register", () => {
  it("shows up with its spans, metrics, registry entry and heartbeats, and deregisters on SIGTERM", async () => {
    const started = Date.now();
    service = await startService(agentEnv(plane, "checkout"));
    const running = service;
    for (let i = 0; i < 5; i++)
      expect(await (await fetch(`${running.url}/hello`)).text()).toBe("hello");

    const traces = await eventually(async () => {
      const found = await searchTraces(pool(), plane.projectId, {
        fromNs: ns(started - 1000),
        toNs: ns(Date.now() + 1000),
        service: "checkout",
        limit: 10,
      });
      return found.length >= 5 ? found : undefined;
    }, "five traces of GET /hello");
    expect(traces.every((trace) => trace.rootName.startsWith("GET"))).toBe(true);

    const latency = await eventually(
      () => metricPoints("http.server.request.duration", "checkout"),
      "http.server.request.duration",
    );
    expect(latency.unit).toBe("s");
    for (const name of [
      "process.cpu.utilization",
      "process.memory.usage",
      "system.cpu.utilization",
      "system.memory.usage",
      "nodejs.eventloop.delay.p99",
    ])
      await eventually(() => metricPoints(name, "checkout"), name);

    // Registered with its port, version and a passing TTL check, and heartbeating with its load.
    const [entry] = await eventually(async () => {
      const entries = await healthOf(plane, "checkout");
      return entries[0]?.Service.Meta["vigil.load.inflight"] !== undefined ? entries : undefined;
    }, "a registry entry with load");
    expect(entry?.Service.Port).toBe(running.port);
    expect(entry?.Service.Meta.version).toBe("1.4.2");
    expect(entry?.Checks.map((check) => check.Status)).toEqual(["passing"]);

    // The service reports its own health through its heartbeat.
    await fetch(`${running.url}/health?status=warning&output=cache%20cold`);
    await eventually(async () => {
      const [now] = await healthOf(plane, "checkout");
      return now?.Checks[0]?.Status === "warning" && now.Checks[0].Output === "cache cold"
        ? true
        : undefined;
    }, "the warning reported by the service");

    expect(await running.stop("SIGTERM")).toBe(0);
    expect(await healthOf(plane, "checkout")).toEqual([]);
    // Exactly the six requests it served: the agent's own exports and heartbeats are not traced.
    const all = await searchTraces(pool(), plane.projectId, {
      fromNs: ns(started - 1000),
      toNs: ns(Date.now() + 1000),
      service: "checkout",
      limit: 100,
    });
    expect(all.map((trace) => trace.rootName).sort()).toEqual([...Array(6).fill("GET")]);
    expect(running.stderr()).not.toMatch(/\[vigil\]/);
  });
});

describe("outbound calls of a service with the agent", () => {
  it("are traced, with fetch and node:http alike, except its calls to the control plane", async () => {
    service = await startService(agentEnv(plane, "caller"));
    const running = service;
    const call = async (target: string) =>
      (await fetch(`${running.url}/call?url=${encodeURIComponent(target)}`)).text();
    expect(await call(`${running.url}/hello`)).toBe("200 200");
    // Discovery as a service does it: the control plane answers (403 without a token, as Consul
    // does), untraced.
    expect(await call(`${plane.url}/v1/health/service/caller`)).toBe("403 403");

    const spans = async (kind: number) =>
      (
        await pool().query<{ name: string; attributes: string }>(
          `SELECT sp.name, sp.attributes::text AS attributes FROM span sp
             JOIN service s ON s.project_id = sp.project_id AND s.id = sp.service_id
            WHERE sp.project_id = $1 AND s.name = 'caller' AND sp.kind = $2`,
          [plane.projectId, kind],
        )
      ).rows;
    // Both /call requests and the two /hello requests they made: four server spans, exported
    // after the client spans they enclose.
    await eventually(
      async () => ((await spans(2)).length === 4 ? true : undefined),
      "four server spans",
    );
    const outbound = await spans(3);
    expect(outbound).toHaveLength(2);
    for (const span of outbound) {
      expect(span.attributes).toContain(`${running.port}/hello`);
      expect(span.attributes).not.toContain(new URL(plane.url).host);
    }
  });
});
