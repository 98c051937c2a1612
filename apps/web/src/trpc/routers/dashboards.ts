import { z } from "zod";
import { chartInput } from "../../domain/dashboards/chart-query.ts";
import {
  addChart,
  createDashboard,
  dashboardName,
  deleteDashboard,
  getDashboard,
  listDashboards,
  removeChart,
  renameDashboard,
} from "../../domain/dashboards/dashboards.ts";
import { projectProcedure, router } from "../init.ts";

const dashboardId = z.uuid("dashboardId must be a dashboard id");

export const dashboardsRouter = router({
  list: projectProcedure("viewer").query(({ ctx }) => listDashboards(ctx.projectId)),
  get: projectProcedure("viewer")
    .input(z.object({ dashboardId }))
    .query(({ ctx, input }) => getDashboard(ctx.projectId, input.dashboardId)),
  create: projectProcedure("editor")
    .input(z.object({ name: dashboardName }))
    .mutation(({ ctx, input }) => createDashboard(ctx.projectId, input.name)),
  rename: projectProcedure("editor")
    .input(z.object({ dashboardId, name: dashboardName }))
    .mutation(({ ctx, input }) => renameDashboard(ctx.projectId, input.dashboardId, input.name)),
  delete: projectProcedure("editor")
    .input(z.object({ dashboardId }))
    .mutation(({ ctx, input }) => deleteDashboard(ctx.projectId, input.dashboardId)),
  addChart: projectProcedure("editor")
    .input(z.object({ dashboardId, chart: chartInput }))
    .mutation(({ ctx, input }) => addChart(ctx.projectId, input.dashboardId, input.chart)),
  removeChart: projectProcedure("editor")
    .input(z.object({ dashboardId, chartId: z.uuid("chartId must be a chart id") }))
    .mutation(({ ctx, input }) => removeChart(ctx.projectId, input.dashboardId, input.chartId)),
});
