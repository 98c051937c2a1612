import { z } from "zod";
import { findLogs } from "../../domain/telemetry/log-search.ts";
import { queryMetricSeries } from "../../domain/telemetry/metrics-query.ts";
import { listServices } from "../../domain/telemetry/services.ts";
import { findTraces } from "../../domain/telemetry/trace-search.ts";
import { getTrace } from "../../domain/traces/get-trace.ts";
import { projectProcedure, router } from "../init.ts";

// The same domain functions as the REST read API; inputs are validated there, with the same messages.
const query = z.record(z.string(), z.string()).default({});

export const telemetryRouter = router({
  services: projectProcedure("viewer").query(({ ctx }) => listServices(ctx.projectId)),
  traces: projectProcedure("viewer")
    .input(z.object({ query }))
    .query(({ ctx, input }) => findTraces(ctx.projectId, input.query)),
  trace: projectProcedure("viewer")
    .input(z.object({ traceId: z.string() }))
    .query(({ ctx, input }) => getTrace(ctx.projectId, input.traceId)),
  logs: projectProcedure("viewer")
    .input(z.object({ query }))
    .query(({ ctx, input }) => findLogs(ctx.projectId, input.query)),
  metric: projectProcedure("viewer")
    .input(z.object({ query }))
    .query(({ ctx, input }) => queryMetricSeries(ctx.projectId, input.query)),
});
