import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject } from "../../testing/metric-fixtures.ts";
import { serviceIdentity, spanOf } from "../../testing/span-fixtures.ts";
import { dependencyEdges } from "../read/dependencies.ts";
import { operationStats } from "../read/operations.ts";
import { redSteps, routeSteps, serviceDataStarts } from "../read/red.ts";
import { spansOfTrace } from "../read/trace-by-id.ts";
import { searchTraces } from "../read/trace-search.ts";
import { noteSearchedKeys } from "../write/search-keys.ts";
import { resolveService } from "../write/services.ts";
import type { SpanRow } from "../write/span-rows.ts";
import { writeSpans } from "../write/span-writer.ts";
import { applyRetention } from "./retention.ts";
import { compactSpans } from "./span-compaction.ts";

const database = setupTestDatabase();
const MS = 1_000_000n;
const MINUTE = 60_000n * MS;
const HOUR = 60n * MINUTE;
const T0 = 1_795_010_400_000_000_000n; // on the hour
const AFTER = T0 + 4n * HOUR; // every seeded hour is settled
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, "0");

/**
 * Three hours of traces from a web service (server spans, an order id and a status per request)
 * calling a database-backed worker: 300 traces of three spans, every tenth failing, some with
 * events, links, messages and a trace state, so every packed array holds something.
 */
async function seed() {
  const pool = database.current().pool;
  const projectId = await newProject(database.current());
  const web = await resolveService(pool, projectId, serviceIdentity("web"));
  const worker = await resolveService(pool, projectId, serviceIdentity("worker"));
  const spans: SpanRow[] = [];
  for (let i = 0; i < 300; i++) {
    const traceId = hex(i + 1, 16);
    const startNs = T0 + (BigInt(i) * 3n * HOUR) / 300n + 7n;
    const failed = i % 10 === 0;
    spans.push(
      spanOf(projectId, web, {
        traceId,
        spanId: hex(3 * i + 1, 8),
        startNs,
        name: `GET /orders/${i % 3}`,
        kind: 2,
        durationNs: BigInt(10 + (i % 7)) * MS,
        statusCode: failed ? 2 : 0,
        statusMessage: failed ? "boom" : "",
        traceState: i % 4 === 0 ? "vendor=1" : "",
        flags: 1,
        scopeName: "http",
        scopeVersion: "1.0",
        attributes: { "order.id": `o-${i}`, "http.response.status_code": failed ? 500 : 200 },
        events: i % 5 === 0 ? [{ name: "exception", timeUnixNano: String(startNs + MS) }] : null,
        links: i % 6 === 0 ? [{ traceId: hex(9, 16), spanId: hex(9, 8) }] : null,
        droppedAttributesCount: i % 9 === 0 ? 2 : 0,
      }),
      spanOf(projectId, worker, {
        traceId,
        spanId: hex(3 * i + 2, 8),
        parentSpanId: hex(3 * i + 1, 8),
        startNs: startNs + MS,
        name: "process",
        kind: 2,
        durationNs: 5n * MS,
        statusCode: failed ? 2 : 0,
        attributes: { ratio: 1.5 },
      }),
      spanOf(projectId, worker, {
        traceId,
        spanId: hex(3 * i + 3, 8),
        parentSpanId: hex(3 * i + 2, 8),
        startNs: startNs + 2n * MS,
        name: "SELECT orders",
        kind: 3,
        durationNs: 2n * MS,
        attributes: { "db.system.name": "postgresql" },
        droppedEventsCount: i % 8 === 0 ? 1 : 0,
        droppedLinksCount: i % 11 === 0 ? 3 : 0,
      }),
    );
  }
  await writeSpans(pool, spans);
  return { projectId, spans };
}

/** What every span reader answers over the seeded hours. */
async function answers(projectId: string) {
  const pool = database.current().pool;
  const window = { fromNs: T0 + 30n * MINUTE, toNs: T0 + 150n * MINUTE };
  const stepped = { ...window, stepNs: 30n * MINUTE };
  const search = (filters: Omit<Parameters<typeof searchTraces>[2], "limit" | "fromNs" | "toNs">) =>
    searchTraces(pool, projectId, { fromNs: T0, toNs: AFTER, limit: 500, ...filters });
  return {
    traces: await Promise.all(
      [0, 1, 150, 299].map((i) => spansOfTrace(pool, projectId, hex(i + 1, 16))),
    ),
    byOrder: await search({ attributes: { "order.id": "o-42" } }),
    byStatus: await search({ attributes: { "http.response.status_code": "500" } }),
    byRatio: await search({ attributes: { ratio: "1.50" } }),
    byUnindexedKey: await search({ attributes: { "db.system.name": "postgresql" } }),
    byOperation: await search({
      service: "web",
      operation: "GET /orders/1",
      minDurationNs: 12n * MS,
    }),
    failed: await search({ statusCode: 2 }),
    inWindow: await searchTraces(pool, projectId, { ...window, limit: 1000 }),
    operations: await operationStats(pool, projectId, "worker", window, "slowest"),
    edges: await dependencyEdges(pool, projectId, window),
    red: await redSteps(pool, projectId, stepped),
    routes: await routeSteps(pool, projectId, "web", stepped),
    starts: await serviceDataStarts(pool, projectId, { fromNs: T0 - HOUR, toNs: AFTER }),
  };
}

const count = async (sql: string, projectId: string) =>
  Number((await database.current().pool.query<{ n: string }>(sql, [projectId])).rows[0]?.n);

describe("packing closed hours of spans into chunks", () => {
  it("moves every span of a settled hour into chunks, and every reader answers as before", async () => {
    const { projectId } = await seed();
    const pool = database.current().pool;
    const before = await answers(projectId);
    expect(before.traces.map((trace) => trace.length)).toEqual([3, 3, 3, 3]);
    expect(before.byOrder).toHaveLength(1);
    expect(before.byStatus).toHaveLength(30);
    expect(before.byRatio).toHaveLength(300);
    expect(before.byOperation.length).toBeGreaterThan(0);
    expect(before.edges.map((edge) => `${edge.caller}→${edge.callee}`)).toEqual([
      "web→worker",
      "worker→postgresql",
    ]);

    await noteSearchedKeys(pool, projectId, ["order.id", "http.response.status_code", "ratio"]);
    const packed = await compactSpans(pool, { nowNs: AFTER });
    expect(packed).toMatchObject({ hours: 3, spans: 900 });
    expect(await count("SELECT count(*) AS n FROM span WHERE project_id = $1", projectId)).toBe(0);
    expect(
      await count(
        "SELECT sum(cardinality(span_ids)) AS n FROM span_chunk WHERE project_id = $1",
        projectId,
      ),
    ).toBe(900);
    // A trace's spans of one hour share one chunk: the order id's trace is one row.
    expect(
      await count(
        `SELECT count(*) AS n FROM span_chunk WHERE project_id = $1 AND trace_ids @> ARRAY['${hex(43, 16)}'::uuid]`,
        projectId,
      ),
    ).toBe(1);

    expect(await answers(projectId)).toEqual(before);
  });

  it("packs spans that arrive after their hour was packed, keeping a re-sent one once", async () => {
    const { projectId, spans } = await seed();
    const pool = database.current().pool;
    await compactSpans(pool, { nowNs: AFTER });
    const first = spans[0] as SpanRow;
    const late = {
      ...first,
      spanId: hex(999_999, 8),
      name: "late retry",
      parentSpanId: first.spanId,
    };
    await writeSpans(pool, [first, late]);
    expect(await count("SELECT count(*) AS n FROM span WHERE project_id = $1", projectId)).toBe(2);

    const again = await compactSpans(pool, { nowNs: AFTER });
    expect(again).toMatchObject({ hours: 1, spans: 2 });
    const trace = await spansOfTrace(pool, projectId, first.traceId);
    expect(trace.map((span) => span.name).sort()).toEqual([
      "GET /orders/0",
      "SELECT orders",
      "late retry",
      "process",
    ]);
  });

  it("leaves the hour still open, and retention drops packed hours with the rest", async () => {
    const { projectId } = await seed();
    const pool = database.current().pool;
    const packed = await compactSpans(pool, { nowNs: T0 + 2n * HOUR + 5n * MINUTE });
    // The second hour ended five minutes ago: only the first is settled.
    expect(packed).toMatchObject({ hours: 1, spans: 300 });
    expect(await count("SELECT count(*) AS n FROM span WHERE project_id = $1", projectId)).toBe(
      600,
    );

    await applyRetention(pool, Number((T0 + 30n * 86_400_000_000_000n) / MS));
    expect(
      await count("SELECT count(*) AS n FROM span_chunk WHERE project_id = $1", projectId),
    ).toBe(0);
  });
});
