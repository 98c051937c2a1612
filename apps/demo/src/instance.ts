// One instance of one of the shop's services, run by the fleet as a child process with
// `node --import @vigil/agent/register`: the agent starts from the environment before this file
// runs (traces, metrics, a registry entry with heartbeats), the zero-code way a user would.
import { createServer } from "node:http";
import { startVigil } from "@vigil/agent";
import { instanceIdentity, readConfig, type ServiceName } from "./env.ts";
import { delay, router } from "./platform/http.ts";
import { gateway } from "./services/gateway.ts";
import { orders } from "./services/orders.ts";
import { payments } from "./services/payments.ts";
import { products } from "./services/products.ts";
import type { Command, ServiceFactory } from "./services/service.ts";
import { users } from "./services/users.ts";

const factories: Record<ServiceName, ServiceFactory> = {
  gateway,
  users,
  products,
  orders,
  payments,
};

const config = readConfig();
const { service: name, instance } = instanceIdentity();
const factory = factories[name];
process.title = `vigil-demo ${instance}`;

const parts = await factory(config, instance);
let slow = false;
const handle = router(parts.routes);
const server = createServer(async (req, res) => {
  // The "slow a service" incident: every request waits 0.4–3 s first (past the callers' 2.5 s
  // timeout often enough for the gateway to answer some 504s).
  if (slow) await delay(400 + Math.random() * 2_600);
  await handle(req, res);
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

process.on("message", async (message: { id: number; command: Command }) => {
  let result: unknown = { ok: true };
  try {
    if (message.command.type === "slow") slow = message.command.on;
    else result = (await parts.control?.(message.command)) ?? { ok: true };
  } catch (error) {
    result = { error: (error as Error).message };
  }
  if (process.connected) process.send?.({ id: message.id, result });
});

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  server.close();
  server.closeAllConnections();
  await parts.stop().catch(() => {});
  await startVigil().shutdown(); // flushes and deregisters
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("disconnect", stop); // the fleet went away: do not outlive it
// The fleet may have given up on this instance meanwhile (a start that took too long).
if (process.connected)
  process.send?.({ ready: true, port: (server.address() as { port: number }).port });
