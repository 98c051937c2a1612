import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { setThresholds, thresholdsInput, thresholdsOf } from "../../domain/overview/grades.ts";
import {
  ingestLimitsInput,
  ingestLimitsOf,
  setIngestLimits,
} from "../../domain/tenancy/ingest-limits.ts";
import { createProject, listProjectsForUser } from "../../domain/tenancy/projects.ts";
import { retentionOf, setRetention, signals } from "../../domain/tenancy/retention.ts";
import { authedProcedure, projectProcedure, router } from "../init.ts";

export const projectsRouter = router({
  /** Days of raw telemetry kept, per signal. */
  retention: projectProcedure("viewer").query(({ ctx }) => retentionOf(ctx.projectId)),

  setRetention: projectProcedure("admin")
    .input(
      z.object({
        signal: z.enum(signals, "signal must be traces, metrics or logs"),
        days: z
          .number()
          .int("days must be a whole number")
          .min(1, "days must be 1–3650")
          .max(3650, "days must be 1–3650"),
      }),
    )
    .mutation(({ ctx, input }) => setRetention(ctx.projectId, input.signal, input.days)),

  /** The overview's good/warning/bad thresholds: the project's own, else the defaults. */
  thresholds: projectProcedure("viewer").query(({ ctx }) => thresholdsOf(ctx.projectId)),

  setThresholds: projectProcedure("admin")
    .input(z.object({ thresholds: thresholdsInput }))
    .mutation(({ ctx, input }) => setThresholds(ctx.projectId, input.thresholds)),

  /** Series per request and new series per minute the project may send. */
  ingestLimits: projectProcedure("viewer").query(({ ctx }) => ingestLimitsOf(ctx.projectId)),

  setIngestLimits: projectProcedure("admin")
    .input(z.object({ limits: ingestLimitsInput }))
    .mutation(({ ctx, input }) => setIngestLimits(ctx.projectId, input.limits)),

  /** Every project the signed-in user can open. */
  list: authedProcedure.query(({ ctx }) => listProjectsForUser(ctx.user.id)),

  get: projectProcedure("viewer").query(async ({ ctx }) => {
    const projects = await listProjectsForUser(ctx.user.id);
    const project = projects.find((candidate) => candidate.id === ctx.projectId);
    if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "No such project" });
    return project;
  }),

  /** A new project in the same organisation as the project the user is in (admins only). */
  create: projectProcedure("admin")
    .input(
      z.object({
        name: z.string().trim().min(1, "name is required").max(80, "name is at most 80 characters"),
      }),
    )
    .mutation(({ ctx, input }) => createProject(ctx.organizationId, input.name)),
});
