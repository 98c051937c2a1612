// A service that embeds the Vigil agent, for cluster.int.test.ts: it records one span a tick
// (attribute `tick` = 0, 1, 2, …) and heartbeats to the agent's usual variables (VIGIL_ENDPOINT,
// VIGIL_KEY) until SIGTERM, then flushes what its agent holds and prints how many spans it made.
import { trace } from "@opentelemetry/api";
import { optionsFromEnv, startVigil } from "@vigil/agent";

const agent = startVigil({
  ...optionsFromEnv(),
  service: "ticker",
  instanceId: "ticker-1",
  port: 9999,
  tracesPerSecond: null,
  heartbeatIntervalMs: 1000,
  metricIntervalMs: 1000,
  handleSigterm: false, // this service stops itself, and says how many it made first
});
const tracer = trace.getTracer("ticker");
let made = 0;
const timer = setInterval(() => {
  tracer.startSpan("tick", { attributes: { tick: made } }).end();
  made += 1;
}, 20);
process.stdout.write("ticking\n");
process.once("SIGTERM", () => {
  clearInterval(timer);
  void agent.shutdown().then(() => {
    process.stdout.write(`made ${made}\n`);
    process.exit(0);
  });
});
