import { randomBytes } from "node:crypto";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExportResultCode } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from "@opentelemetry/sdk-trace";
import { closeDatabase, connectDatabase, db } from "@vigil/db";
import {
  type EmbeddedPostgresHandle,
  ensureDatabase,
  startEmbeddedPostgres,
} from "@vigil/db/embedded";
import { migrate } from "@vigil/db/migrations";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApiKey } from "../domain/keys/api-keys.ts";
import { startControlPlane } from "../testing/control-plane.ts";
import { createOrgWithProject } from "../testing/fixtures.ts";
import { selfMetrics } from "./stats.ts";

// TARGETS.md R1: PostgreSQL stops while clients send. This file has a PostgreSQL of its own,
// since stopping the shared test server would break the other test files.

let dataDir: string;
let postgres: EmbeddedPostgresHandle;
let controlPlane: Awaited<ReturnType<typeof startControlPlane>>;
let ingestKey: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "vigil-outage-"));
  await chmod(dataDir, 0o755);
  postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, "pg"), persistent: true });
  await ensureDatabase(postgres.adminUrl, "vigil");
  await migrate({ connectionString: postgres.urlFor("vigil") });
  connectDatabase(postgres.urlFor("vigil"), { maxConnections: 4 });
  const { projectId } = await createOrgWithProject();
  ingestKey = (await createApiKey({ projectId, name: "agent", scope: "ingest" })).secret;
  controlPlane = await startControlPlane();
});
afterAll(async () => {
  await controlPlane?.close();
  await closeDatabase();
  await postgres?.stop();
  await rm(dataDir, { recursive: true, force: true });
});

/** Sends one trace of four spans; returns the status, Retry-After and the trace id. */
async function sendTrace(): Promise<{
  status: number;
  retryAfter: string | null;
  traceId: string;
}> {
  const traceId = randomBytes(16).toString("hex");
  const now = BigInt(Date.now()) * 1_000_000n;
  const spans = Array.from({ length: 4 }, (_, i) => ({
    traceId,
    spanId: randomBytes(8).toString("hex"),
    name: `step ${i}`,
    startTimeUnixNano: (now + BigInt(i)).toString(),
    endTimeUnixNano: (now + 1_000_000n).toString(),
  }));
  const response = await fetch(`${controlPlane.url}/v1/traces`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ingestKey}` },
    body: JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] }),
  });
  await response.arrayBuffer();
  return { status: response.status, retryAfter: response.headers.get("retry-after"), traceId };
}

describe("when PostgreSQL stops while clients send", () => {
  it("answers 503 with Retry-After while it is down, and stores every acknowledged span exactly once", async () => {
    const acknowledged: string[] = [];
    for (let i = 0; i < 5; i++) {
      const sent = await sendTrace();
      expect(sent.status).toBe(200);
      acknowledged.push(sent.traceId);
    }

    const port = postgres.port;
    await postgres.stop();
    const whileDown = await Promise.all(Array.from({ length: 6 }, () => sendTrace()));
    expect(whileDown.map((sent) => sent.status)).toEqual(Array(6).fill(503));
    expect(whileDown.every((sent) => Number(sent.retryAfter) > 0)).toBe(true);

    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, "pg"),
      persistent: true,
      preferredPort: port,
    });
    expect(postgres.port).toBe(port);
    // The pool may hand out a connection that died with the old server: such a request gets 503
    // (and a real client retries it); the next ones go through.
    let recovered = 0;
    for (let attempt = 0; attempt < 20 && recovered < 5; attempt++) {
      const sent = await sendTrace();
      expect([200, 503]).toContain(sent.status);
      if (sent.status === 200) {
        acknowledged.push(sent.traceId);
        recovered += 1;
      }
    }
    expect(recovered).toBe(5);

    const stored = await db().pool.query<{ trace: string; spans: number }>(
      "SELECT replace(trace_id::text, '-', '') AS trace, count(*)::int AS spans FROM span GROUP BY 1",
    );
    const byTrace = new Map(stored.rows.map((row) => [row.trace, row.spans]));
    for (const traceId of acknowledged) expect(byTrace.get(traceId)).toBe(4);
    for (const { traceId } of whileDown) expect(byTrace.has(traceId)).toBe(false);
    expect(stored.rows.reduce((sum, row) => sum + row.spans, 0)).toBe(acknowledged.length * 4);
  });

  it("lets the official exporter's retries deliver a batch that was first refused with 503", async () => {
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({
      resource: resourceFromAttributes({ "service.name": "retrying" }),
      spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
    });
    const tracer = provider.getTracer("outage");
    for (let i = 0; i < 3; i++) tracer.startSpan(`job ${i}`).end();
    await provider.forceFlush();
    const spans = memory.getFinishedSpans();
    const exporter = new OTLPTraceExporter({
      url: `${controlPlane.url}/v1/traces`,
      headers: { Authorization: `Bearer ${ingestKey}` },
      timeoutMillis: 20_000,
    });

    const port = postgres.port;
    await postgres.stop();
    const refusals = () =>
      selfMetrics.requests
        .get()
        .then((metric) =>
          metric.values.filter((v) => v.labels.code === "503").reduce((sum, v) => sum + v.value, 0),
        );
    const before = await refusals();
    const exported = new Promise<number>((resolve) =>
      exporter.export(spans, (result) => resolve(result.code)),
    );
    // Once the server has refused the first attempt, bring PostgreSQL back; the exporter retries.
    await vi.waitFor(async () => expect(await refusals()).toBeGreaterThan(before), {
      timeout: 10_000,
      interval: 50,
    });
    postgres = await startEmbeddedPostgres({
      dataDir: join(dataDir, "pg"),
      persistent: true,
      preferredPort: port,
    });
    expect(await exported).toBe(ExportResultCode.SUCCESS);

    const stored = await db().pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM span WHERE trace_id = ANY($1::uuid[])",
      [spans.map((span) => span.spanContext().traceId)],
    );
    expect(stored.rows[0]?.n).toBe(spans.length);
  });
});
