import { z } from "zod";
import {
  createHealthRule,
  deleteHealthRule,
  healthRuleInput,
  listHealthRules,
} from "../../registry/health-rules.ts";
import { registryEvents, registryOverview } from "../../registry/registry.ts";
import { projectProcedure, router } from "../init.ts";

export const registryRouter = router({
  instances: projectProcedure("viewer").query(({ ctx }) => registryOverview(ctx.projectId)),
  events: projectProcedure("viewer").query(({ ctx }) => registryEvents(ctx.projectId)),
  rules: projectProcedure("viewer").query(({ ctx }) => listHealthRules(ctx.projectId)),
  createRule: projectProcedure("editor")
    .input(z.object({ rule: healthRuleInput }))
    .mutation(({ ctx, input }) => createHealthRule(ctx.projectId, input.rule)),
  deleteRule: projectProcedure("editor")
    .input(z.object({ ruleId: z.uuid("ruleId must be a rule id") }))
    .mutation(({ ctx, input }) => deleteHealthRule(ctx.projectId, input.ruleId)),
});
