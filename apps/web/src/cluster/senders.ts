// What sends through the balancer in cluster.int.test.ts while replicas are killed: an OTLP
// client that retries until acknowledged, and a service that embeds the agent.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { env } from "../env.ts";

/** An OTLP/HTTP client: batches of new spans, each retried until acknowledged, as exporters do. */
export function startSender(url: string, key: string) {
  const acknowledged: string[] = [];
  let failures = 0;
  let stopping = false;
  const batch = () => {
    const traceId = randomBytes(16).toString("hex");
    const now = BigInt(Date.now()) * 1_000_000n;
    return Array.from({ length: 20 }, (_, i) => ({
      traceId,
      spanId: randomBytes(8).toString("hex"),
      name: `GET /cart/${i}`,
      kind: 2,
      startTimeUnixNano: String(now),
      endTimeUnixNano: String(now + 1_000_000n),
    }));
  };
  const send = async (spans: ReturnType<typeof batch>) => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource: { attributes: [{ key: "service.name", value: { stringValue: "cart" } }] },
          scopeSpans: [{ spans }],
        },
      ],
    });
    for (;;) {
      const ok = await fetch(`${url}/v1/traces`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body,
        signal: AbortSignal.timeout(10_000),
      }).then(
        (response) => response.status === 200,
        () => false,
      );
      if (ok) return;
      failures += 1;
      await new Promise((resolve) => setTimeout(resolve, 100)); // the exporter's back-off
    }
  };
  const done = (async () => {
    while (!stopping) {
      const spans = batch();
      await send(spans);
      acknowledged.push(...spans.map((span) => span.spanId));
    }
  })();
  return {
    acknowledged,
    failures: () => failures,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

const TICKER = fileURLToPath(new URL("./ticker-service.ts", import.meta.url));

/** A service with the agent (ticker-service.ts), sending through `url` until stopped. */
export async function startTicker(url: string, key: string) {
  const child = spawn(process.execPath, [TICKER], {
    env: {
      PATH: env().PATH,
      VIGIL_ENDPOINT: url,
      VIGIL_KEY: key,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  expect((await lines.next()).value).toBe("ticking");
  return {
    /** Stops it (its agent flushes what it holds); how many spans it made. */
    async stop(): Promise<number> {
      child.kill("SIGTERM");
      const made = (await lines.next()).value as string;
      await once(child, "exit");
      return Number(made.replace("made ", ""));
    },
  };
}
