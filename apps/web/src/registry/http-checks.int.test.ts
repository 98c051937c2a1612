import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { runDueHttpChecks } from "./http-checks.ts";
import { registerInstance, serviceHealth } from "./registry.ts";

setupTestDatabase();

let server: Server;
let answer = 200;
let url: string;
let projectId: string;
beforeAll(async () => {
  server = createServer((_req, res) => res.writeHead(answer).end(`answering ${answer}`));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`;
  ({ projectId } = await createOrgWithProject());
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const allowInternal = { allowInternal: true };
const statusOf = async () =>
  (await serviceHealth(projectId, "search", { passing: false }))[0]?.checks[0];

describe("HTTP checks", () => {
  it("follow a real server as it answers 200, 429 and 500 (passing, warning, critical)", async () => {
    await registerInstance(
      projectId,
      { Name: "search", ID: "search-1", Check: { HTTP: url, Interval: "10s" } },
      allowInternal,
    );
    expect((await statusOf())?.status).toBe("critical"); // until the first run
    let now = Date.now();
    const run = async (code: number) => {
      answer = code;
      now += 10_000; // one interval later
      expect(await runDueHttpChecks(allowInternal, now)).toBe(1);
      return statusOf();
    };
    expect(await run(200)).toMatchObject({
      status: "passing",
      // 127.0.0.1 is internal: its status is kept, its body is not.
      output: `HTTP GET ${url}: 200 (the body of an internal target is not kept)`,
    });
    expect((await run(429))?.status).toBe("warning");
    expect((await run(500))?.status).toBe("critical");
    expect((await run(200))?.status).toBe("passing");
    // Not due again within its interval.
    expect(await runDueHttpChecks(allowInternal, now + 1000)).toBe(0);
  });

  it("refuses to save an HTTP check on an internal address unless internal targets are allowed", async () => {
    await expect(
      registerInstance(
        projectId,
        { Name: "metadata", Check: { HTTP: "http://169.254.169.254/latest", Interval: "10s" } },
        { allowInternal: false },
      ),
    ).rejects.toThrow(
      /Invalid check: 169.254.169.254 resolves to 169.254.169.254, an internal address/,
    );
  });
});
