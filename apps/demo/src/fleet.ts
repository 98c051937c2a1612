// The demo fleet: the shop's databases, its service instances (two of each, as child processes),
// the shoppers' traffic, and the incident switches with the alert receiver on 127.0.0.1.
// `npm start` runs it; by hand: VIGIL_ENDPOINT, VIGIL_KEY, DEMO_PRIMARY_URL, DEMO_REPLICA_URL
// (and optionally REDIS_URL, DEMO_CONTROL_PORT, DEMO_WEBHOOK_SECRET), then `node src/fleet.ts`.
import { ConfigError, inheritedEnv, readConfig, SERVICES } from "./env.ts";
import { controlServer } from "./fleet/control-server.ts";
import { prepareDatabases } from "./fleet/databases.ts";
import { Incidents } from "./fleet/incidents.ts";
import { ServiceInstance } from "./fleet/instances.ts";
import { everyInstancePassing } from "./fleet/registry-ready.ts";
import { startTraffic } from "./fleet/traffic.ts";
import { WebhookInbox } from "./fleet/webhook-inbox.ts";
import { upstream } from "./platform/upstream.ts";

const log = (line: string) => process.stderr.write(`demo: ${line}\n`);

let config: ReturnType<typeof readConfig>;
try {
  config = readConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  log(error.message);
  process.exit(2);
}

// Progress while starting: whoever started the fleet waits as long as it keeps moving.
const progress = (step: string) => process.send?.({ progress: step });
await prepareDatabases(config.primaryUrl);
progress("databases prepared");
const inherited = inheritedEnv();
process.title = "vigil-demo fleet";
const instances = SERVICES.flatMap((service) =>
  Array.from(
    { length: config.instances },
    (_, i) =>
      new ServiceInstance(
        service,
        `${service}-${i + 1}`,
        { ...inherited, VIGIL_KEY: config.key },
        log,
      ),
  ),
);
// An instance that fails to start is started again by its supervisor; the fleet carries on.
for (const [i, result] of (
  await Promise.allSettled(
    instances.map((instance) => instance.start().then(() => progress(`${instance.id} serving`))),
  )
).entries())
  if (result.status === "rejected")
    log(`${instances[i]?.id} did not start (${(result.reason as Error).message}); retrying`);

const gateway = await upstream({
  endpoint: config.endpoint,
  token: config.key,
  service: "gateway",
  timeoutMs: 5_000,
});
const registered = everyInstancePassing({
  endpoint: config.endpoint,
  token: config.key,
  services: SERVICES,
  count: config.instances,
  timeoutMs: 60_000,
}).then((all) => {
  if (!all) log("not every instance is passing after 60 s; shoppers start anyway");
});
const traffic = startTraffic(gateway, registered);
const incidents = new Incidents(instances, traffic, config.replicaUrl);
const inbox = new WebhookInbox(config.webhookSecret);

const server = controlServer({
  incidents,
  inbox,
  status: async () => {
    const front = instances.find((instance) => instance.service === "gateway" && instance.running);
    return {
      incidents: incidents.state,
      instances: instances.map(({ id, service, running }) => ({ id, service, running })),
      gateway: front
        ? { instance: front.id, upstreams: await front.command({ type: "status" }) }
        : null,
      requestsSent: traffic.sent(),
      alertsReceived: inbox.received,
    };
  },
});
await new Promise<void>((resolve) => server.listen(config.controlPort, "127.0.0.1", resolve));
const port = (server.address() as { port: number }).port;
log(`fleet running: ${instances.length} instances; switches on http://127.0.0.1:${port}`);
process.send?.({ ready: true, controlPort: port });

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  traffic.stop();
  gateway.stop();
  server.close();
  server.closeAllConnections();
  await incidents.reset();
  await Promise.all(instances.map((instance) => instance.stop()));
  process.exit(0);
}
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
process.on("disconnect", stop); // the control plane that started it went away
