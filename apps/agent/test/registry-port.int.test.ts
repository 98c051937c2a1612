import { fileURLToPath } from "node:url";
import { setupIngest } from "@vigil/web/testing";
import { afterEach, describe, expect, it } from "vitest";
import { agentEnv, healthOf } from "./control-plane.ts";
import { eventually, type RunningService, startService } from "./helpers.ts";

// The registry never offers a passing instance nobody can connect to: until the agent knows
// the service's port, the instance is registered critical with the reason, and it turns passing
// with its port once the service listens — however the two are ordered.

const plane = setupIngest();
let service: RunningService | undefined;
afterEach(async () => {
  await service?.stop();
  service = undefined;
});

const passing = async (name: string) => {
  const response = await fetch(`${plane.url}/v1/health/service/${name}?passing`, {
    headers: { "x-consul-token": plane.ingestKey },
  });
  return (await response.json()) as unknown[];
};

describe("an instance's port in the registry", () => {
  it("is critical with the reason until the service listens, then passing with its port", async () => {
    const starting = startService({
      ...agentEnv(plane, "late-listener"),
      FIXTURE_LISTEN_AFTER_MS: "2000",
    });
    const waiting = await eventually(async () => {
      const [entry] = await healthOf(plane, "late-listener");
      return entry?.Checks[0]?.Output ? entry : undefined;
    }, "the instance registered before it listens");
    expect(waiting.Service.Port).toBe(0);
    expect(waiting.Checks[0]?.Status).toBe("critical");
    expect(waiting.Checks[0]?.Output).toContain("waiting for the service to listen");
    expect(await passing("late-listener")).toEqual([]);

    service = await starting;
    const running = service;
    const ready = await eventually(async () => {
      const [entry] = await healthOf(plane, "late-listener");
      return entry?.Service.Port === running.port && entry.Checks[0]?.Status === "passing"
        ? entry
        : undefined;
    }, "the instance passing with its port");
    expect(ready.Checks[0]?.Output).toBe("");
    expect(await passing("late-listener")).toHaveLength(1);
    expect(await (await fetch(`http://127.0.0.1:${ready.Service.Port}/`)).text()).toBe("not found");
  });

  it("is found when the agent starts after the service already listens", async () => {
    service = await startService(
      agentEnv(plane, "early-listener"),
      fileURLToPath(new URL("./fixtures/agent-after-listen.ts", import.meta.url)),
      "in-script",
    );
    const running = service;
    const entry = await eventually(async () => {
      const [found] = await healthOf(plane, "early-listener");
      return found?.Checks[0]?.Status === "passing" ? found : undefined;
    }, "the instance passing");
    expect(entry.Service.Port).toBe(running.port);
  });

  it("heals when a stale registration lands after the right one (anti-entropy)", async () => {
    service = await startService(agentEnv(plane, "resynced"));
    const running = service;
    await eventually(async () => {
      const [entry] = await healthOf(plane, "resynced");
      return entry?.Service.Port === running.port ? entry : undefined;
    }, "the instance with its port");
    // What a slow first request finishing last leaves behind: the same instance without its port.
    const [entry] = await healthOf(plane, "resynced");
    await fetch(`${plane.url}/v1/agent/service/register`, {
      method: "PUT",
      headers: { "x-consul-token": plane.ingestKey },
      body: JSON.stringify({
        ID: entry?.Service.ID,
        Name: "resynced",
        Address: entry?.Service.Address,
        Port: 0,
        // The same check, so heartbeats carry on: only the resend can repair the port.
        Check: { CheckID: entry?.Checks[0]?.CheckID, TTL: "1s", Status: "passing" },
      }),
    });
    expect((await healthOf(plane, "resynced"))[0]?.Service.Port).toBe(0);
    await eventually(async () => {
      const [healed] = await healthOf(plane, "resynced");
      return healed?.Service.Port === running.port ? healed : undefined;
    }, "the agent's registration sent again");
  });
});
