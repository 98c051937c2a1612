import { Agent, request } from "node:http";
import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";

// The benchmark's load generator, on a thread of its own: the control plane under test keeps
// its event loop and its heap to itself (the prebuilt bodies and the client's sockets would
// otherwise share both), as it would with real clients on other machines.

export type LoadSpec = {
  url: string;
  key: string;
  path: string;
  contentType: string;
  seconds: number;
  concurrency: number;
  /** Telemetry items (spans, points) in each request. */
  itemsPerRequest: number;
};
export type LoadResult = { spans: number; ms: number; p50: number; p99: number; errors: number };

/** Sends `bodies` (moved to the load thread, unusable here after) for `spec.seconds`. */
export function httpLoad(spec: LoadSpec, bodies: Uint8Array[]): Promise<LoadResult> {
  // Each body moves with its own buffer: copy any that is a view into a larger one.
  const owned = bodies.map((body) =>
    body.byteOffset === 0 && body.byteLength === body.buffer.byteLength
      ? body
      : new Uint8Array(body),
  );
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { spec, bodies: owned },
    transferList: owned.map((body) => body.buffer as ArrayBuffer),
  });
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
  });
}

async function run(spec: LoadSpec, bodies: Uint8Array[]): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: spec.concurrency });
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const deadline = started + spec.seconds * 1000;
  const send = (body: Uint8Array) =>
    new Promise<number>((resolve) => {
      const sentAt = performance.now();
      const req = request(
        `${spec.url}${spec.path}`,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": spec.contentType,
            authorization: `Bearer ${spec.key}`,
            "content-length": body.length,
          },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            latencies.push(performance.now() - sentAt);
            resolve(res.statusCode ?? 0);
          });
        },
      );
      req.on("error", () => resolve(0));
      req.end(body);
    });
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (performance.now() < deadline && next < bodies.length) {
        const body = bodies[next++] as Uint8Array;
        if ((await send(body)) !== 200) errors += 1;
      }
    }),
  );
  const ms = performance.now() - started;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0);
  return {
    spans: (latencies.length - errors) * spec.itemsPerRequest,
    ms,
    p50: at(0.5),
    p99: at(0.99),
    errors,
  };
}

if (!isMainThread && parentPort) {
  const { spec, bodies } = workerData as { spec: LoadSpec; bodies: Uint8Array[] };
  parentPort.postMessage(await run(spec, bodies));
}
