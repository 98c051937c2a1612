import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDatabase, connectDatabase, type Database } from "../../client.ts";
import { runSql } from "../../embedded/ensure-database.ts";
import { createTestDatabase, type TestDatabase } from "../../testing/index.ts";
import { newProject } from "../../testing/metric-fixtures.ts";
import { serviceIdentity, spanOf } from "../../testing/span-fixtures.ts";
import { resolveService } from "../write/services.ts";
import type { SpanRow } from "../write/span-rows.ts";
import { writeSpans } from "../write/span-writer.ts";
import { dependencyEdges } from "./dependencies.ts";

// Who calls whom, read from the newest minutes of a day whose statistics were taken early in
// the day, as they are between two ANALYZE runs: the planner then believes the window holds a
// row or two, and a nested loop over the calls and their parents would take minutes.

const MS = 1_000_000n;
const HOUR = 3_600_000n * MS;
const T0 = BigInt(Date.UTC(2026, 10, 20)) * MS;
const DAY_TABLE = "span_d20261120";
const CALLS = 15_000;
const hex = (n: number, bytes: number) => n.toString(16).padStart(bytes * 2, "0");

let testDb: TestDatabase;
let database: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  database = connectDatabase(testDb.url, { maxConnections: 5 });
});
afterAll(async () => {
  await closeDatabase();
  await testDb.drop();
});

/** Runs `sql` where the day's spans live: on each shard, or on the database itself. */
async function whereSpansLive(sql: string) {
  for (const url of testDb.shardUrls.length ? testDb.shardUrls : [testDb.url])
    await runSql(url, sql);
}

describe("dependency edges", () => {
  it("are read from minutes newer than the day's statistics as fast as from any others", async () => {
    const pool = database.pool;
    const projectId = await newProject(database);
    const web = await resolveService(pool, projectId, serviceIdentity("web"));
    const api = await resolveService(pool, projectId, serviceIdentity("api"));
    /** A call from web to api at `startNs`, as its two spans. */
    const call = (i: number, startNs: bigint): SpanRow[] => [
      spanOf(projectId, web, { traceId: hex(i, 16), spanId: hex(2 * i, 8), startNs, kind: 2 }),
      spanOf(projectId, api, {
        traceId: hex(i, 16),
        spanId: hex(2 * i + 1, 8),
        parentSpanId: hex(2 * i, 8),
        startNs: startNs + MS,
        kind: 2,
        durationNs: 4n * MS,
      }),
    ];

    // Early in the day a few calls arrive and the day is analysed; no autovacuum runs after.
    expect(
      await writeSpans(
        pool,
        [1, 2, 3].flatMap((i) => call(i, T0 + BigInt(i) * MS)),
      ),
    ).toBe(6);
    await whereSpansLive(`ALTER TABLE ${DAY_TABLE} SET (autovacuum_enabled = false)`);
    await whereSpansLive(`ANALYZE ${DAY_TABLE}`);
    const late: SpanRow[] = [];
    for (let i = 0; i < CALLS; i++) late.push(...call(1000 + i, T0 + 10n * HOUR + BigInt(i) * MS));
    expect(await writeSpans(pool, late)).toBe(2 * CALLS);

    // Hashed, this takes milliseconds; as a nested loop, minutes (it would pass the timeout).
    const edges = await dependencyEdges(
      pool,
      projectId,
      { fromNs: T0 + 10n * HOUR, toNs: T0 + 11n * HOUR },
      { timeoutMs: 10_000 },
    );
    expect(
      edges.map(({ caller, callee, calls, avgMs }) => ({ caller, callee, calls, avgMs })),
    ).toEqual([{ caller: "web", callee: "api", calls: CALLS, avgMs: 4 }]);
  });
});
