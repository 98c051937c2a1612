// npm run bench:agent [-- --duration 8 --rounds 2] — the agent's cost on a Node HTTP service (target P7): a hello-world and a
// 1 ms handler, each driven by autocannon against the same service with no agent, with
// @vigil/agent (the built package, loaded by --import as users do) and with plain sdk-node plus
// every auto-instrumentation. Prints requests/s, p99 latency and CPU µs per request, and ratios.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import autocannon from "autocannon";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const { values: flags } = parseArgs({
  options: { duration: { type: "string", default: "8" }, rounds: { type: "string", default: "2" } },
});
const DURATION_S = Number(flags.duration);
const ROUNDS = Number(flags.rounds);
const CONNECTIONS = 16;

type Mode = "none" | "vigil" | "otel";
type Figures = { rps: number; p99: number; cpuUsPerRequest: number };

async function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, args, {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  for await (const line of createInterface({ input: child.stdout as NodeJS.ReadableStream })) {
    if (line.startsWith("{")) return { child, port: (JSON.parse(line) as { port: number }).port };
  }
  throw new Error(`${args.join(" ")} exited before listening`);
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null) return;
  child.kill("SIGKILL");
  await once(child, "exit");
}

async function cpuOf(url: string): Promise<number> {
  return Number(await (await fetch(`${url}/__cpu`)).text());
}

async function measure(mode: Mode, path: string, sink: string): Promise<Figures> {
  const service = here("./service.ts");
  const args =
    mode === "vigil"
      ? ["--import", here("../dist/register.js"), service]
      : mode === "otel"
        ? ["--import", here("./otel-auto.ts"), service]
        : [service];
  const { child, port } = await start(args, {
    VIGIL_ENDPOINT: sink,
    OTEL_EXPORTER_OTLP_ENDPOINT: sink,
    VIGIL_KEY: "vgl_ik_bench",
    OTEL_SERVICE_NAME: `bench-${mode}`,
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    // Warm up (JIT, connection pools, the agent's first exports), then measure.
    await autocannon({ url: url + path, connections: CONNECTIONS, duration: 2 });
    const before = await cpuOf(url);
    const result = await autocannon({
      url: url + path,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    const cpu = (await cpuOf(url)) - before;
    return {
      rps: result.requests.average,
      p99: result.latency.p99,
      cpuUsPerRequest: cpu / Math.max(1, result.requests.total),
    };
  } finally {
    await stop(child);
  }
}

const best = (runs: Figures[]): Figures => {
  const sorted = [...runs].sort((a, b) => b.rps - a.rps);
  return sorted[0] as Figures;
};
const pct = (value: number, base: number) => `${(((value - base) / base) * 100).toFixed(1)} %`;

async function main() {
  const sink = await start([here("./sink.ts")]);
  const sinkUrl = `http://127.0.0.1:${sink.port}`;
  console.log(
    `agent overhead: ${DURATION_S} s × ${ROUNDS} rounds per configuration, ${CONNECTIONS} connections, Node ${process.version}\n`,
  );
  try {
    for (const [label, path] of [
      ["hello-world", "/hello"],
      ["1 ms handler", "/slow"],
    ] as const) {
      const runs: Record<Mode, Figures[]> = { none: [], vigil: [], otel: [] };
      // Interleaved rounds, so drift on the machine hits every configuration alike.
      for (let round = 0; round < ROUNDS; round++)
        for (const mode of ["none", "vigil", "otel"] as const)
          runs[mode].push(await measure(mode, path, sinkUrl));
      const base = best(runs.none);
      console.log(`${label}  (best round of each)`);
      console.log(
        "  configuration        req/s     p99 ms   CPU µs/req   req/s vs none   extra CPU µs/req",
      );
      for (const mode of ["none", "vigil", "otel"] as const) {
        const f = best(runs[mode]);
        const name = { none: "no agent", vigil: "@vigil/agent", otel: "sdk-node + auto" }[mode];
        console.log(
          `  ${name.padEnd(18)} ${f.rps.toFixed(0).padStart(7)}   ${f.p99.toFixed(1).padStart(6)}   ${f.cpuUsPerRequest.toFixed(1).padStart(10)}   ${(mode === "none" ? "—" : pct(f.rps, base.rps)).padStart(13)}   ${(mode === "none" ? "—" : (f.cpuUsPerRequest - base.cpuUsPerRequest).toFixed(1)).padStart(16)}`,
        );
      }
      console.log("");
    }
  } finally {
    await stop(sink.child);
  }
}

await main();
