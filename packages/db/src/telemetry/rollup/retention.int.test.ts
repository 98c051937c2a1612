import { describe, expect, it } from "vitest";
import { setupTestDatabase } from "../../testing/index.ts";
import { newProject } from "../../testing/metric-fixtures.ts";
import { spanOf } from "../../testing/span-fixtures.ts";
import { resolveService } from "../write/services.ts";
import { writeSpans } from "../write/span-writer.ts";
import { applyRetention, createPartitionsAhead } from "./retention.ts";

const database = setupTestDatabase();
const DAY_MS = 86_400_000;

async function projectWithSpansAt(
  daysAgo: number[],
  nowMs: number,
  retentionDays?: number,
): Promise<string> {
  const { prisma, pool } = database.current();
  const projectId = await newProject(database.current());
  if (retentionDays)
    await prisma.retentionPolicy.create({
      data: { projectId, signal: "traces", days: retentionDays },
    });
  const ref = await resolveService(pool, projectId, {
    name: "svc",
    environment: "",
    instance: "",
    version: "",
    host: "",
    attributes: {},
  });
  await writeSpans(
    pool,
    daysAgo.map((days) =>
      spanOf(projectId, ref, {
        startNs: BigInt(nowMs - days * DAY_MS) * 1_000_000n,
        name: `${days} days ago`,
      }),
    ),
  );
  return projectId;
}

async function spanAges(projectId: string): Promise<string[]> {
  const rows = await database
    .current()
    .pool.query<{ name: string }>("SELECT name FROM span WHERE project_id = $1 ORDER BY start_ns", [
      projectId,
    ]);
  return rows.rows.map((row) => row.name);
}

describe("retention", () => {
  it("drops partitions past the longest retention and deletes what shorter policies no longer keep", async () => {
    // A fixed "now" in the past keeps these partitions apart from other tests' data.
    const nowMs = Date.UTC(2025, 0, 20, 12);
    const keepsDefault = await projectWithSpansAt([1, 3, 10], nowMs);
    const keepsTwoDays = await projectWithSpansAt([1, 3], nowMs, 2);
    const result = await applyRetention(database.current().pool, nowMs);
    expect(result.droppedPartitions).toContain("span_d20250110");
    expect(result.droppedPartitions).not.toContain("span_d20250117");
    expect(await spanAges(keepsDefault)).toEqual(["3 days ago", "1 days ago"]);
    expect(await spanAges(keepsTwoDays)).toEqual(["1 days ago"]);
    expect(result.deletedRows).toBe(1);
  });

  it("creates today's and the next two days' partitions of every telemetry table ahead of time", async () => {
    const nowMs = Date.UTC(2031, 4, 6, 23);
    await createPartitionsAhead(database.current().pool, nowMs);
    const names = await database
      .current()
      .pool.query<{ name: string }>(
        "SELECT relname AS name FROM pg_class WHERE relkind IN ('r', 'p') AND relname LIKE '%_d2031050%' ORDER BY 1",
      );
    expect(names.rows.map((row) => row.name)).toEqual(
      [
        "log_record",
        "metric_chunk",
        "metric_point",
        "metric_rollup",
        "metric_service_rollup",
        "span_chunk",
        "span",
      ].flatMap((table) => ["06", "07", "08"].map((day) => `${table}_d203105${day}`)),
    );
  });
});
