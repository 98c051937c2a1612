import { setupTestDatabase } from "@vigil/db/testing";
import { describe, expect, it } from "vitest";
import { createOrgWithProject } from "../../testing/fixtures.ts";
import { DomainError } from "../errors.ts";
import { setThresholds, THRESHOLDS, thresholdsOf } from "../overview/grades.ts";
import { defaultTitle, queryParams } from "./chart-query.ts";
import {
  addChart,
  createDashboard,
  deleteDashboard,
  getDashboard,
  listDashboards,
  removeChart,
  renameDashboard,
} from "./dashboards.ts";

setupTestDatabase();

const chart = (title: string, name = "queue.depth") => ({ title, query: { name, agg: "max" } });
const code = (promise: Promise<unknown>) =>
  promise.then(
    () => "ok",
    (error: unknown) =>
      error instanceof DomainError ? `${error.code}: ${error.message}` : String(error),
  );

describe("dashboards", () => {
  it("keep their charts in order, and concurrent additions are all kept", async () => {
    const { projectId } = await createOrgWithProject();
    const board = await createDashboard(projectId, "  Checkout ");
    expect(board).toMatchObject({ name: "Checkout", charts: [] });
    await addChart(projectId, board.id, chart("first"));
    // Five editors saving at once: none of the writes is lost.
    await Promise.all(
      ["a", "b", "c", "d", "e"].map((title) => addChart(projectId, board.id, chart(title))),
    );
    const saved = await getDashboard(projectId, board.id);
    expect(saved.charts.map((c) => c.title)).toEqual(
      expect.arrayContaining(["first", "a", "b", "c", "d", "e"]),
    );
    expect(saved.charts).toHaveLength(6);
    expect(saved.charts[0]).toMatchObject({
      title: "first",
      query: { name: "queue.depth", agg: "max", where: {} },
    });

    const after = await removeChart(projectId, board.id, saved.charts[0]?.id as string);
    expect(after.charts.map((c) => c.title)).not.toContain("first");
    expect((await renameDashboard(projectId, board.id, "Payments")).name).toBe("Payments");
    expect((await listDashboards(projectId)).map((d) => d.name)).toEqual(["Payments"]);
    await deleteDashboard(projectId, board.id);
    expect(await listDashboards(projectId)).toEqual([]);
  });

  it("refuse bad input with a message, and another project's dashboards do not exist", async () => {
    const { projectId } = await createOrgWithProject();
    const other = await createOrgWithProject();
    const board = await createDashboard(projectId, "Ops");
    expect(await code(createDashboard(projectId, " "))).toBe(
      "BAD_REQUEST: a dashboard needs a name",
    );
    expect(await code(addChart(projectId, board.id, { title: "", query: { name: "m" } }))).toBe(
      "BAD_REQUEST: a chart needs a title",
    );
    expect(
      await code(addChart(projectId, board.id, { title: "t", query: { name: "m", agg: "p42" } })),
    ).toMatch(/^BAD_REQUEST: agg must be one of avg, sum/);
    expect(await code(getDashboard(other.projectId, board.id))).toBe(
      "NOT_FOUND: No such dashboard in this project",
    );
    expect(await code(addChart(other.projectId, board.id, chart("x")))).toMatch(/^NOT_FOUND/);
    expect(await code(deleteDashboard(other.projectId, board.id))).toMatch(/^NOT_FOUND/);
    expect(await code(getDashboard(projectId, "not-a-uuid"))).toMatch(/^NOT_FOUND/);
    expect(
      await code(removeChart(projectId, board.id, "00000000-0000-4000-8000-000000000000")),
    ).toBe("NOT_FOUND: No such chart on this dashboard");
    expect((await getDashboard(projectId, board.id)).charts).toEqual([]);
  });

  it("describe a chart's query as a title and as metric query parameters", () => {
    const query = {
      name: "http.server.request.duration",
      service: "checkout",
      where: { region: "eu" },
      groupBy: "http.route",
      agg: "p95" as const,
    };
    expect(defaultTitle(query)).toBe(
      "p95(http.server.request.duration) · checkout · region=eu by http.route",
    );
    expect(queryParams(query)).toEqual({
      name: "http.server.request.duration",
      agg: "p95",
      service: "checkout",
      groupBy: "http.route",
      "attr.region": "eu",
    });
  });
});

describe("project thresholds", () => {
  it("start as the defaults, change one signal at a time, and refuse an inverted pair", async () => {
    const { projectId } = await createOrgWithProject();
    expect(await thresholdsOf(projectId)).toEqual(THRESHOLDS);
    await setThresholds(projectId, { shardSkew: { warning: 1.2, bad: 2 } });
    await setThresholds(projectId, { cacheHitRate: { warning: 0.9, bad: 0.7 } });
    expect(await thresholdsOf(projectId)).toEqual({
      ...THRESHOLDS,
      shardSkew: { warning: 1.2, bad: 2 },
      cacheHitRate: { warning: 0.9, bad: 0.7 },
    });
    expect(await code(setThresholds(projectId, { errorRate: { warning: 0.1, bad: 0.05 } }))).toBe(
      "BAD_REQUEST: errorRate: warning must be below bad (values above them are worse)",
    );
    expect(await code(setThresholds(projectId, { cacheHitRate: { warning: 0.5, bad: 0.8 } }))).toBe(
      "BAD_REQUEST: cacheHitRate: warning must be above bad (values below them are worse)",
    );
    expect((await thresholdsOf(projectId)).errorRate).toEqual(THRESHOLDS.errorRate);
  });
});
