import { seriesPoints } from "@vigil/db/telemetry";
import { setupIngest } from "@vigil/web/testing";
import { afterEach, describe, expect, it } from "vitest";
import { agentEnv, ns, pool } from "./control-plane.ts";
import { eventually, type RunningService, startService } from "./helpers.ts";

const plane = setupIngest();
let service: RunningService | null = null;
afterEach(async () => {
  await service?.stop("SIGKILL");
  service = null;
});

/** Sends `count` requests, `concurrency` at a time; returns how many answered 200. */
async function drive(url: string, count: number, concurrency = 8): Promise<number> {
  let ok = 0;
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next++;
        const response = await fetch(url);
        await response.text();
        if (response.status === 200) ok++;
      }
    }),
  );
  return ok;
}

const stored = async (sql: string, params: unknown[]) =>
  Number((await pool().query<{ n: string }>(sql, params)).rows[0]?.n ?? 0);

describe("with the control plane down", () => {
  it("keeps serving, holds at most its buffer, and reports what it dropped once the control plane is back", {
    timeout: 120_000,
  }, async () => {
    const started = Date.now();
    await plane.close();
    service = await startService({
      ...agentEnv(plane, "resilient"),
      VIGIL_MAX_BUFFERED_SPANS: "100",
      VIGIL_TRACES_PER_SECOND: "1000000", // record every request's span
    });

    // Every request is served while nothing can be exported; one span each.
    expect(await drive(`${service.url}/hello`, 1000)).toBe(1000);
    expect(service.stderr().match(/\[vigil\]/g)).toHaveLength(1);
    expect(service.stderr()).toMatch(/cannot reach the control plane/);

    await plane.restart();
    const window = [plane.projectId, (ns(started) - 1_000_000_000n).toString()];
    const spans = () =>
      stored(
        `SELECT count(*) AS n FROM span s JOIN service v ON v.project_id = s.project_id AND v.id = s.service_id
          WHERE s.project_id = $1 AND s.start_ns >= $2 AND v.name = 'resilient'`,
        window,
      );
    // The dropped counter's increases, as every reader of a cumulative counter takes them.
    const increases = seriesPoints({
      project: "$1",
      series: "ms.id",
      lo: "$2",
      hi: "9223372036854775807",
    });
    const dropped = () =>
      stored(
        `SELECT coalesce(sum(p.value), 0) AS n FROM metric_series ms CROSS JOIN LATERAL ${increases} p
          WHERE ms.project_id = $1 AND ms.name = 'vigil.agent.dropped'
            AND ms.attributes->>'signal' = 'spans'`,
        window,
      );
    // Every span is accounted for: delivered once the control plane is back, or counted as dropped.
    // The agent's retry backoff reaches 30 s during a long outage (a busy machine makes the outage
    // long), so its first retry after the restart may take that long.
    let seen = "nothing yet";
    const [delivered, lost] = await eventually(
      async () => {
        const both = [await spans(), await dropped()] as const;
        seen = `${both[0]} delivered, ${both[1]} dropped`;
        return both[0] + both[1] === 1000 ? both : undefined;
      },
      "delivered + dropped spans to reach 1000",
      80_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message} (last seen: ${seen})`);
    });
    // The agent held no more than its buffer (100) plus the one batch it was trying to send.
    expect(delivered).toBeGreaterThanOrEqual(100);
    expect(delivered).toBeLessThanOrEqual(200);
    expect(lost).toBe(1000 - delivered);
  });
});

describe("with bad configuration", () => {
  it.each([
    [
      "no endpoint",
      { VIGIL_ENDPOINT: "" },
      /agent disabled: `endpoint` must be the control plane's URL/,
    ],
    [
      "a malformed endpoint",
      { VIGIL_ENDPOINT: "vigil:3000" },
      /`endpoint` must be an http or https URL/,
    ],
    ["a wrong key", { VIGIL_KEY: "vgl_ik_notarealkeynotarealkeynotarea" }, /refused the key/],
  ])("with %s it warns once and the service works", async (_case, override, warning) => {
    service = await startService({ ...agentEnv(plane, "misconfigured"), ...override });
    const running = service;
    await eventually(
      async () => (warning.test(running.stderr()) ? true : undefined),
      "the warning",
    );
    expect(await drive(`${running.url}/hello`, 50)).toBe(50);
    expect(running.stderr().match(/\[vigil\]/g)).toHaveLength(1);
  });
});
