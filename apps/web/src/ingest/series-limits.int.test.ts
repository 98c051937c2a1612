import { db } from "@vigil/db";
import { describe, expect, it } from "vitest";
import { setIngestLimits } from "../domain/tenancy/ingest-limits.ts";
import { setupIngest } from "../testing/ingest-setup.ts";
import { postOtlpJson } from "../testing/otlp-send.ts";

// A project's series limits: points past them are refused one by one with a message, the rest
// stored, and the refusals counted in /metrics.

const setup = setupIngest();

/** One gauge with a point in each of `count` series (attribute `n` = offset…offset+count-1). */
function gauges(name: string, count: number, offset = 0) {
  const now = String(BigInt(Date.now()) * 1_000_000n);
  return {
    resourceMetrics: [
      {
        resource: { attributes: [{ key: "service.name", value: { stringValue: "fanout" } }] },
        scopeMetrics: [
          {
            metrics: [
              {
                name,
                gauge: {
                  dataPoints: Array.from({ length: count }, (_, i) => ({
                    timeUnixNano: now,
                    asDouble: i,
                    attributes: [{ key: "n", value: { intValue: String(offset + i) } }],
                  })),
                },
              },
            ],
          },
        ],
      },
    ],
  };
}

const seriesOf = async (name: string) =>
  (
    await db().pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM metric_series WHERE project_id = $1 AND name = $2",
      [setup.projectId, name],
    )
  ).rows[0]?.n;

const limitedCount = async (limit: string) => {
  const text = await (await fetch(`${setup.url}/metrics`)).text();
  const line = text
    .split("\n")
    .find((row) => row.startsWith(`vigil_ingest_limited_items_total{limit="${limit}"}`));
  return Number(line?.split(" ")[1] ?? 0);
};

describe("series limits", () => {
  it("refuse the series of a request past its limit, keeping the rest", async () => {
    await setIngestLimits(setup.projectId, { seriesPerRequest: 50 });
    const before = await limitedCount("series_per_request");
    const response = await postOtlpJson(setup.url, setup.ingestKey, "metrics", gauges("wide", 80));
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      partialSuccess: { rejectedDataPoints: string; errorMessage: string };
    };
    expect(body.partialSuccess.rejectedDataPoints).toBe("30");
    expect(body.partialSuccess.errorMessage).toContain(
      'metric "wide": a request may hold at most 50 series',
    );
    expect(await seriesOf("wide")).toBe(50);
    expect((await limitedCount("series_per_request")) - before).toBe(30);
  });

  it("refuse new series past the minute's budget, but never points of series that exist", async () => {
    await setIngestLimits(setup.projectId, { seriesPerRequest: 1000, newSeriesPerMinute: 60 });
    // 200 new series against 60 a minute: even if the minute turns during the request, at most
    // 120 can be created.
    const first = await postOtlpJson(setup.url, setup.ingestKey, "metrics", gauges("tall", 200));
    const refused = (await first.json()) as {
      partialSuccess: { rejectedDataPoints: string; errorMessage: string };
    };
    expect(Number(refused.partialSuccess.rejectedDataPoints)).toBeGreaterThanOrEqual(80);
    expect(refused.partialSuccess.errorMessage).toContain(
      'metric "tall": the project may create at most 60 new series a minute',
    );
    expect(await seriesOf("tall")).toBe(200 - Number(refused.partialSuccess.rejectedDataPoints));
    // Series created before still take points.
    const existing = await postOtlpJson(setup.url, setup.ingestKey, "metrics", gauges("wide", 50));
    expect(await existing.json()).toEqual({});
    expect(await limitedCount("new_series_per_minute")).toBeGreaterThan(0);
  });

  it("are refused with a message when set out of range", async () => {
    await expect(setIngestLimits(setup.projectId, { seriesPerRequest: 0 })).rejects.toThrow(
      "seriesPerRequest: seriesPerRequest must be 1–1,000,000",
    );
  });
});
