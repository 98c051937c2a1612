import { randomUUID } from "node:crypto";
import { db } from "@vigil/db";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { type Chart, chartInput } from "./chart-query.ts";

export const dashboardName = z
  .string()
  .trim()
  .min(1, "a dashboard needs a name")
  .max(80, "a dashboard name is at most 80 characters");
const MAX_CHARTS = 50;

export type Dashboard = { id: string; name: string; charts: Chart[]; updatedAt: Date };

const stored = z.array(chartInput.extend({ id: z.string() }));
function toDashboard(row: {
  id: string;
  name: string;
  charts: unknown;
  updatedAt: Date;
}): Dashboard {
  // Charts written by an older version that no longer validate are left out, not fatal.
  const charts = stored.safeParse(row.charts);
  return {
    id: row.id,
    name: row.name,
    updatedAt: row.updatedAt,
    charts: charts.success ? charts.data : [],
  };
}

function parsed<T>(schema: z.ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new DomainError(
      "BAD_REQUEST",
      result.error.issues.map((issue) => issue.message).join("; "),
    );
  }
  return result.data;
}

export async function listDashboards(projectId: string) {
  const rows = await db().prisma.dashboard.findMany({
    where: { projectId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, charts: true, updatedAt: true },
  });
  return rows.map(toDashboard);
}

export async function getDashboard(projectId: string, id: string): Promise<Dashboard> {
  const row = z.uuid().safeParse(id).success
    ? await db().prisma.dashboard.findUnique({ where: { projectId_id: { projectId, id } } })
    : null;
  if (!row) throw new DomainError("NOT_FOUND", "No such dashboard in this project");
  return toDashboard(row);
}

export async function createDashboard(projectId: string, name: unknown): Promise<Dashboard> {
  const row = await db().prisma.dashboard.create({
    data: { projectId, name: parsed(dashboardName, name) },
  });
  return toDashboard(row);
}

export async function renameDashboard(projectId: string, id: string, name: unknown) {
  await getDashboard(projectId, id);
  const row = await db().prisma.dashboard.update({
    where: { projectId_id: { projectId, id } },
    data: { name: parsed(dashboardName, name) },
  });
  return toDashboard(row);
}

export async function deleteDashboard(projectId: string, id: string): Promise<void> {
  await getDashboard(projectId, id);
  await db().prisma.dashboard.delete({ where: { projectId_id: { projectId, id } } });
}

/**
 * Changes a dashboard's charts without losing a concurrent change: the write only lands if
 * nobody wrote since the read (compare-and-set on updatedAt), otherwise it reads again.
 */
async function editCharts(
  projectId: string,
  id: string,
  edit: (charts: Chart[]) => Chart[],
): Promise<Dashboard> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const current = await getDashboard(projectId, id);
    const charts = edit(current.charts);
    const written = await db().prisma.dashboard.updateMany({
      where: { projectId, id, updatedAt: current.updatedAt },
      data: { charts, updatedAt: new Date() },
    });
    if (written.count === 1) return getDashboard(projectId, id);
  }
  throw new DomainError("CONFLICT", "The dashboard is being changed by someone else; try again");
}

export async function addChart(projectId: string, dashboardId: string, input: unknown) {
  const chart = { id: randomUUID(), ...parsed(chartInput, input) };
  return editCharts(projectId, dashboardId, (charts) => {
    if (charts.length >= MAX_CHARTS) {
      throw new DomainError("BAD_REQUEST", `A dashboard holds at most ${MAX_CHARTS} charts`);
    }
    return [...charts, chart];
  });
}

export async function removeChart(projectId: string, dashboardId: string, chartId: string) {
  return editCharts(projectId, dashboardId, (charts) => {
    if (!charts.some((chart) => chart.id === chartId)) {
      throw new DomainError("NOT_FOUND", "No such chart on this dashboard");
    }
    return charts.filter((chart) => chart.id !== chartId);
  });
}
