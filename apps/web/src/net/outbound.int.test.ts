import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlockedTarget, outboundRequest, resolveTarget } from "./outbound.ts";

const closed = { allowInternal: false };
const open = { allowInternal: true };

let server: Server;
let base: string;
let connections = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/redirect")
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" }).end();
    else res.writeHead(200).end("hello");
  });
  server.on("connection", () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("outbound requests to user-supplied URLs", () => {
  it.each([
    "http://127.0.0.1/",
    "http://localhost/",
    "http://10.1.2.3/",
    "http://172.20.0.1/",
    "http://192.168.1.1/",
    "http://169.254.169.254/latest/meta-data",
    "http://100.64.0.1/",
    "http://0.0.0.0/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://[fd00::1]/",
    "http://2130706433/",
    "http://0177.0.0.1/",
    "http://0x7f.0.0.1/",
  ])("refuses %s before connecting", async (url) => {
    await expect(resolveTarget(url, closed)).rejects.toThrow(BlockedTarget);
  });

  it.each(["http://8.8.8.8/", "http://198.51.100.10/", "http://[2001:4860:4860::8888]/"])(
    "lets a public address through (%s)",
    async (url) => {
      await expect(resolveTarget(url, closed)).resolves.toMatchObject({ url: new URL(url) });
    },
  );

  it("refuses other schemes", async () => {
    await expect(resolveTarget("file:///etc/passwd", open)).rejects.toThrow(/only http and https/);
  });

  it("never connects to an internal server unless internal targets are allowed", async () => {
    const before = connections;
    await expect(outboundRequest(`${base}/`, { timeoutMs: 1000, policy: closed })).rejects.toThrow(
      /internal address/,
    );
    expect(connections).toBe(before);
    const answer = await outboundRequest(`${base}/`, { timeoutMs: 1000, policy: open });
    expect([answer.status, answer.bodyExcerpt]).toEqual([200, "hello"]);
  });

  it("does not follow a redirect (to the cloud metadata address, here)", async () => {
    const answer = await outboundRequest(`${base}/redirect`, { timeoutMs: 1000, policy: open });
    expect(answer.status).toBe(302);
    expect(answer.headers.location).toBe("http://169.254.169.254/latest/meta-data");
  });
});
