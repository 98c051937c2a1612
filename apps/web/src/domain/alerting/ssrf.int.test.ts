import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "@vigil/db";
import { setupTestDatabase } from "@vigil/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seal } from "../../lib/secret-box.ts";
import { setTestRuntime } from "../../testing/alerting.ts";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { deliverDue, sendTest } from "./delivery.ts";
import { createReceiver } from "./receivers.ts";

// S4: with the allow-list off, no receiver URL may reach an internal address, on save, on a test
// send or on a delivery. Listeners sit on each address; none may see a connection. As root the
// test adds the private addresses (and a public-looking one for the redirect) to the loopback
// interface; without that right it says so and uses 127.0.0.1 for all of them.

process.env.VIGIL_ALLOW_INTERNAL_TARGETS = "false";
setupTestDatabase();

const PRIVATE = ["10.55.0.1", "172.16.55.1", "192.168.55.1", "169.254.169.254"];
const PUBLIC_LOOKING = "198.51.100.10";
const added: string[] = [];
const listeners: { host: string; server: Server; port: number; connections: number }[] = [];
let projectId: string;

function addAddress(address: string): boolean {
  try {
    execFileSync("ip", ["addr", "add", `${address}/32`, "dev", "lo"], { stdio: "pipe" });
    added.push(address);
    return true;
  } catch (error) {
    return String((error as { stderr?: Buffer }).stderr ?? "").includes("File exists");
  }
}

async function listen(host: string, handler?: Parameters<typeof createServer>[1]) {
  const entry = {
    host,
    server: createServer(handler ?? ((_req, res) => res.writeHead(200).end("reached"))),
    port: 0,
    connections: 0,
  };
  entry.server.on("connection", () => {
    entry.connections += 1;
  });
  await new Promise<void>((resolve) => entry.server.listen(0, host, resolve));
  entry.port = (entry.server.address() as AddressInfo).port;
  listeners.push(entry);
  return entry;
}

let redirector: Awaited<ReturnType<typeof listen>> | null = null;
let loopback: Awaited<ReturnType<typeof listen>>;
const privateListeners: Awaited<ReturnType<typeof listen>>[] = [];

beforeAll(async () => {
  setTestRuntime();
  ({ projectId } = await createOrgWithProject());
  loopback = await listen("127.0.0.1");
  const canAdd = [...PRIVATE, PUBLIC_LOOKING].every(addAddress);
  if (!canAdd)
    process.stderr.write(
      "ssrf test: cannot add addresses to lo (not root?); private ranges are checked against 127.0.0.1 listeners only\n",
    );
  for (const address of PRIVATE) privateListeners.push(canAdd ? await listen(address) : loopback);
  if (canAdd)
    redirector = await listen(PUBLIC_LOOKING, (_req, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${loopback.port}/` }).end(),
    );
});
afterAll(async () => {
  await Promise.all(
    listeners.map((entry) => new Promise((resolve) => entry.server.close(resolve))),
  );
  for (const address of added)
    execFileSync("ip", ["addr", "del", `${address}/32`, "dev", "lo"], { stdio: "pipe" });
});

const urls = () => {
  const port = loopback.port;
  return [
    `http://127.0.0.1:${port}/hook`,
    `http://localhost:${port}/hook`,
    ...privateListeners.map((entry) => `http://${entry.host}:${entry.port}/hook`),
    `http://[::ffff:127.0.0.1]:${port}/hook`,
    `http://2130706433:${port}/hook`,
    `http://0177.0.0.1:${port}/hook`,
    `http://0x7f.0.0.1:${port}/hook`,
    `http://[::1]:${port}/hook`,
  ];
};

describe("receivers at internal addresses (allow-list off)", () => {
  it("are refused on save, naming the address", async () => {
    for (const url of urls())
      await expect(createReceiver(projectId, { name: `r-${randomUUID()}`, url })).rejects.toThrow(
        /internal address|does not resolve/,
      );
    expect(listeners.map((entry) => entry.connections)).toEqual(listeners.map(() => 0));
  });

  it("are refused on a test send and on every delivery, even when stored before the rule existed", async () => {
    for (const url of urls()) {
      // A receiver saved earlier (say, while internal targets were allowed).
      const receiver = await db().prisma.alertReceiver.create({
        data: {
          projectId,
          name: `stored-${randomUUID()}`,
          url,
          secretsSealed: seal(
            JSON.stringify([
              { secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}`, addedAt: Date.now() },
            ]),
          ),
        },
      });
      const test = await sendTest(projectId, receiver.id);
      expect([test.outcome, test.error]).toEqual([
        "blocked",
        expect.stringMatching(/internal address/),
      ]);
      const id = `msg_${randomUUID().replaceAll("-", "")}`;
      await db().prisma.alertNotification.create({
        data: {
          projectId,
          id,
          receiverId: receiver.id,
          groupKey: "0:{}",
          alertStatus: "firing",
          alerts: 1,
          body: "{}",
        },
      });
      await deliverDue();
      const row = await db().prisma.alertNotification.findUniqueOrThrow({
        where: { projectId_id: { projectId, id } },
      });
      expect([row.status, row.lastError]).toEqual([
        "failed",
        expect.stringMatching(/internal address/),
      ]);
    }
    expect(
      listeners.filter((entry) => entry !== redirector).map((entry) => entry.connections),
    ).toEqual(listeners.filter((entry) => entry !== redirector).map(() => 0));
  });

  it("does not follow a public-looking receiver's redirect to a private address", async (context) => {
    if (!redirector) {
      process.stderr.write(
        "ssrf test: skipped the redirect case: no public-looking address could be added to lo\n",
      );
      return context.skip();
    }
    const { receiver } = await createReceiver(projectId, {
      name: "redirects",
      url: `http://${PUBLIC_LOOKING}:${redirector.port}/hook`,
    });
    const test = await sendTest(projectId, receiver.id);
    expect([test.outcome, test.statusCode]).toEqual(["failed", 302]);
    expect(test.error).toContain("redirects are not followed");
    expect(redirector.connections).toBe(1);
    expect(loopback.connections).toBe(0);
  });
});
