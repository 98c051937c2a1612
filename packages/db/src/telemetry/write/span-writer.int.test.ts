import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject } from "../../testing/metric-fixtures.ts";
import { spanOf } from "../../testing/span-fixtures.ts";
import { dropPartitionsBefore, NS_PER_DAY } from "../rollup/partitions.ts";
import { resolveService } from "./services.ts";
import type { SpanRow } from "./span-rows.ts";
import { writeSpans } from "./span-writer.ts";

const database = setupTestDatabase();

const project = () => newProject(database.current());

async function spanRow(projectId: string, overrides: Partial<SpanRow> = {}): Promise<SpanRow> {
  const ref = await resolveService(database.current().pool, projectId, {
    name: "checkout",
    environment: "prod",
    instance: "pod-1",
    version: "1.0.0",
    host: "node-a",
    attributes: { "service.name": "checkout" },
  });
  return spanOf(projectId, ref, {
    startNs: 1_795_000_000_000_000_000n + 123n,
    name: "GET /orders",
    kind: 2,
    durationNs: 1_500_000n,
    flags: 1,
    scopeName: "http",
    scopeVersion: "1.0",
    attributes: { "http.route": "/orders" },
    ...overrides,
  });
}

describe("writeSpans", () => {
  it("stores spans exactly, including awkward characters, nanoseconds and JSON", async () => {
    const projectId = await project();
    const row = await spanRow(projectId, {
      name: "tab\there\nnewline \\ backslash ünïcode 🚀",
      parentSpanId: randomBytes(8).toString("hex"),
      attributes: { quote: 'say "hi"', tab: "a\tb", nested: { list: [1, "two", true] } },
      events: [
        {
          name: "exception",
          timeUnixNano: "1795000000000000999",
          attributes: { msg: "line1\nline2" },
        },
      ],
    });
    expect(await writeSpans(database.current().pool, [row])).toBe(1);
    const stored = await database.current().pool.query(
      `SELECT start_ns::text, replace(trace_id::text, '-', '') AS trace_id, encode(span_id, 'hex') AS span_id,
              encode(parent_span_id, 'hex') AS parent, name, attributes, events, links, duration_ns::text
         FROM span WHERE project_id = $1`,
      [projectId],
    );
    expect(stored.rows).toEqual([
      {
        start_ns: row.startNs.toString(),
        trace_id: row.traceId,
        span_id: row.spanId,
        parent: row.parentSpanId,
        name: row.name,
        attributes: row.attributes,
        events: row.events,
        links: null,
        duration_ns: "1500000",
      },
    ]);
  });

  it("stores a batch sent twice once", async () => {
    const projectId = await project();
    const rows = [await spanRow(projectId), await spanRow(projectId)];
    expect(await writeSpans(database.current().pool, rows)).toBe(2);
    expect(await writeSpans(database.current().pool, rows)).toBe(0);
    const count = await database
      .current()
      .pool.query("SELECT count(*)::int AS n FROM span WHERE project_id = $1", [projectId]);
    expect(count.rows[0].n).toBe(2);
  });

  it("stores a span re-sent with another start time once, in a later batch or the same one", async () => {
    const projectId = await project();
    const first = await spanRow(projectId);
    const restamped = { ...first, startNs: first.startNs + 5_000_000_000n };
    expect(await writeSpans(database.current().pool, [first])).toBe(1);
    expect(await writeSpans(database.current().pool, [restamped])).toBe(0);
    // Across a day boundary, still the same span.
    const late = { ...first, startNs: first.startNs + 86_400_000_000_000n };
    expect(await writeSpans(database.current().pool, [late])).toBe(0);
    const twice = await spanRow(projectId);
    expect(
      await writeSpans(database.current().pool, [
        twice,
        { ...twice, startNs: twice.startNs + 1_000n },
      ]),
    ).toBe(1);
    const count = await database
      .current()
      .pool.query("SELECT count(*)::int AS n FROM span WHERE project_id = $1", [projectId]);
    expect(count.rows[0].n).toBe(2);
  });

  it("creates daily partitions as data arrives and drops old ones", async () => {
    const projectId = await project();
    const day = 20_000n; // 2024-10-04
    await writeSpans(database.current().pool, [
      await spanRow(projectId, { startNs: day * NS_PER_DAY + 5n }),
      await spanRow(projectId, { startNs: (day + 1n) * NS_PER_DAY + 5n }),
    ]);
    const partitions = async () =>
      (
        await database
          .current()
          .pool.query<{ name: string }>(
            "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'span' ORDER BY 1",
          )
      ).rows.map((row) => row.name);
    expect(await partitions()).toEqual(
      expect.arrayContaining(["span_d20241004", "span_d20241005"]),
    );
    expect(await dropPartitionsBefore(database.current().pool, "span", Number(day + 1n))).toEqual([
      "span_d20241004",
    ]);
    expect(await partitions()).not.toContain("span_d20241004");
    const left = await database
      .current()
      .pool.query("SELECT count(*)::int AS n FROM span WHERE project_id = $1", [projectId]);
    expect(left.rows[0].n).toBe(1);
  });
});
