import { Agent, request } from "node:http";
import { parseArgs } from "node:util";
import pino from "pino";
import { registryHealth } from "../src/jobs/registry-health.ts";
import { startScheduler } from "../src/jobs/scheduler.ts";
import { fmt, quantile, startBenchControlPlane } from "./harness.ts";

const { values: args } = parseArgs({
  options: {
    instances: { type: "string", default: "10000" },
    seconds: { type: "string", default: "20" },
    concurrency: { type: "string", default: "32" },
  },
});
const instances = Number(args.instances);
const seconds = Number(args.seconds);
const concurrency = Number(args.concurrency);

async function main() {
  const bench = await startBenchControlPlane(16);
  try {
    const { url: base, key: secret } = bench;
    const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
    const call = (method: string, path: string, body?: string) =>
      new Promise<{ status: number; ms: number; index: string }>((resolve) => {
        const started = performance.now();
        const req = request(
          `${base}${path}`,
          { method, agent, headers: { "x-consul-token": secret } },
          (res) => {
            res.resume();
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 0,
                ms: performance.now() - started,
                index: String(res.headers["x-consul-index"] ?? ""),
              }),
            );
          },
        );
        req.on("error", () => resolve({ status: 0, ms: performance.now() - started, index: "" }));
        req.end(body);
      });

    process.stdout.write(`registering ${fmt(instances)} instances…\n`);
    let next = 0;
    const registerStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < instances) {
          const i = next++;
          await call(
            "PUT",
            "/v1/agent/service/register",
            JSON.stringify({
              Name: `svc-${i % 50}`,
              ID: `i-${i}`,
              Port: 8000 + (i % 1000),
              Check: { TTL: "30s", Status: "passing" },
            }),
          );
        }
      }),
    );
    const registerMs = performance.now() - registerStarted;

    // Heartbeats: every instance's TTL check passed again and again, as fast as answered.
    const latencies: number[] = [];
    let errors = 0;
    let beat = 0;
    const deadline = performance.now() + seconds * 1000;
    const beatsStarted = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const answer = await call("PUT", `/v1/agent/check/pass/service:i-${beat++ % instances}`);
          latencies.push(answer.ms);
          if (answer.status !== 200) errors += 1;
        }
      }),
    );
    const beatsMs = performance.now() - beatsStarted;

    // Change to answer: a blocking reader waits on a service; a check fails; how long until it hears.
    const delays: number[] = [];
    for (let round = 0; round < 20; round++) {
      const { index } = await call("GET", "/v1/health/service/svc-1");
      const blocked = call("GET", `/v1/health/service/svc-1?index=${index}&wait=30s`);
      const changedAt = performance.now();
      await call(
        "PUT",
        `/v1/agent/check/${round % 2 === 0 ? "fail" : "pass"}/service:i-1?note=round-${round}`,
      );
      await blocked;
      delays.push(performance.now() - changedAt);
    }
    // TTL expiry: instances whose 1 s TTL is never refreshed; how long until they read critical.
    const scheduler = startScheduler({
      connectionString: bench.databaseUrl,
      jobs: [registryHealth],
      log: pino({ level: "silent" }),
      retryMs: 100,
    });
    const expiries: number[] = [];
    for (let round = 0; round < 10; round++) {
      await call(
        "PUT",
        "/v1/agent/service/register",
        JSON.stringify({
          Name: "ttl-probe",
          ID: `ttl-${round}`,
          Check: { TTL: "1s", Status: "passing" },
        }),
      );
      const registeredAt = performance.now();
      let { index } = await call("GET", "/v1/health/service/ttl-probe?passing");
      for (;;) {
        const answer = await call("GET", `/v1/health/service/ttl-probe?index=${index}&wait=10s`);
        index = answer.index;
        const critical = await fetch(`${base}/v1/health/service/ttl-probe`, {
          headers: { "x-consul-token": secret },
        })
          .then(
            (response) =>
              response.json() as Promise<
                { Service: { ID: string }; Checks: { Status: string }[] }[]
              >,
          )
          .then(
            (entries) =>
              entries.find((entry) => entry.Service.ID === `ttl-${round}`)?.Checks[0]?.Status ===
              "critical",
          );
        if (critical) break;
      }
      expiries.push(performance.now() - registeredAt);
    }
    await scheduler.stop();
    agent.destroy();

    const rate = Math.round((latencies.length / beatsMs) * 1000);
    process.stdout.write(
      [
        "",
        `registration                 ${fmt(Math.round((instances / registerMs) * 1000))} instances/s (${fmt(instances)} in ${(registerMs / 1000).toFixed(1)} s)`,
        `P8 heartbeats               ${fmt(rate)} /s   p50 ${quantile(latencies, 0.5).toFixed(1)} ms, p99 ${quantile(latencies, 0.99).toFixed(1)} ms, errors ${errors}   (target ≥ 2,000/s, p99 < 50 ms)`,
        `   ÷ target rate            ${((rate / 2000) * 100).toFixed(0)} %`,
        `P8 change → blocking answer p50 ${quantile(delays, 0.5).toFixed(1)} ms, p99 ${quantile(delays, 0.99).toFixed(1)} ms   (target < 100 ms)`,
        `TTL 1 s, not refreshed → critical after  p50 ${quantile(expiries, 0.5).toFixed(0)} ms, max ${Math.max(...expiries).toFixed(0)} ms   (target ≤ TTL + 1 s = 2,000 ms)`,
        `(${seconds} s of heartbeats from ${concurrency} concurrent clients over ${fmt(instances)} instances, 20 change rounds)`,
        "",
      ].join("\n"),
    );
  } finally {
    await bench.stop();
  }
}

await main();
