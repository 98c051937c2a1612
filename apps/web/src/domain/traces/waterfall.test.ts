import { describe, expect, it } from "vitest";
import type { TraceSpan } from "./get-trace.ts";
import { waterfall } from "./waterfall.ts";

const span = (id: string, parent: string | null, service: string, startMs: number, endMs: number) =>
  ({
    spanId: id,
    parentSpanId: parent,
    name: id,
    service: { name: service },
    startTimeUnixNano: String(BigInt(startMs) * 1_000_000n),
    endTimeUnixNano: String(BigInt(endMs) * 1_000_000n),
  }) as unknown as TraceSpan;

describe("waterfall", () => {
  it("puts children under their parent by start time, with offsets and widths as shares of the trace", () => {
    const { rows, durationMs, services } = waterfall([
      span("db", "api", "orders", 40, 90),
      span("api", null, "gateway", 0, 100),
      span("cache", "api", "orders", 10, 20),
      span("orphan", "gone", "worker", 50, 60),
    ]);
    expect(rows.map((row) => [row.span.spanId, row.depth])).toEqual([
      ["api", 0],
      ["cache", 1],
      ["db", 1],
      ["orphan", 0],
    ]);
    expect(durationMs).toBe(100);
    expect(rows[2]).toMatchObject({ offset: 0.4, width: 0.5, serviceIndex: 1 });
    expect(services).toEqual(["gateway", "orders", "worker"]);
    // The root and its last-finishing child (db, ends at 90) decide the trace's end; the orphan
    // root ends before the api root does.
    expect(rows.filter((row) => row.critical).map((row) => row.span.spanId)).toEqual(["api", "db"]);
  });
});
