import { z } from "zod";
import {
  activeAlerts,
  alertHistory,
  historyQuery,
  notificationLog,
  notificationQuery,
} from "../../domain/alerting/alerts.ts";
import { routingInput, routingOf, setRouting } from "../../domain/alerting/config.ts";
import { replayNotification, sendTest } from "../../domain/alerting/delivery.ts";
import { previewRule } from "../../domain/alerting/preview.ts";
import {
  createReceiver,
  deleteReceiver,
  listReceivers,
  receiverInput,
  rotateSecret,
  updateReceiver,
} from "../../domain/alerting/receivers.ts";
import {
  createRule,
  deleteRule,
  getRule,
  listRules,
  updateRule,
} from "../../domain/alerting/rules.ts";
import { createSilence, expireSilence, listSilences } from "../../domain/alerting/silences.ts";
import { projectProcedure, router } from "../init.ts";

// Rules and silences are an editor's; receivers (URLs, headers, secrets) and routing an admin's.
// Inputs are validated by the domain, which names each bad field.

const ruleId = z.uuid("ruleId must be a rule id");
const receiverId = z.uuid("receiverId must be a receiver id");
const rule = z.record(z.string(), z.unknown());

export const alertingRouter = router({
  rules: projectProcedure("viewer").query(({ ctx }) => listRules(ctx.projectId)),
  rule: projectProcedure("viewer")
    .input(z.object({ ruleId }))
    .query(({ ctx, input }) => getRule(ctx.projectId, input.ruleId)),
  createRule: projectProcedure("editor")
    .input(z.object({ rule }))
    .mutation(({ ctx, input }) => createRule(ctx.projectId, input.rule)),
  updateRule: projectProcedure("editor")
    .input(z.object({ ruleId, rule }))
    .mutation(({ ctx, input }) => updateRule(ctx.projectId, input.ruleId, input.rule)),
  deleteRule: projectProcedure("editor")
    .input(z.object({ ruleId }))
    .mutation(({ ctx, input }) => deleteRule(ctx.projectId, input.ruleId)),
  preview: projectProcedure("viewer")
    .input(z.object({ rule, hours: z.number().optional() }))
    .query(({ ctx, input }) => previewRule(ctx.projectId, input.rule, input.hours)),

  alerts: projectProcedure("viewer").query(({ ctx }) => activeAlerts(ctx.projectId)),
  history: projectProcedure("viewer")
    .input(historyQuery)
    .query(({ ctx, input }) => alertHistory(ctx.projectId, input)),

  receivers: projectProcedure("viewer").query(({ ctx }) => listReceivers(ctx.projectId)),
  createReceiver: projectProcedure("admin")
    .input(z.object({ receiver: receiverInput.omit({ secret: true }) }))
    .mutation(({ ctx, input }) => createReceiver(ctx.projectId, input.receiver)),
  updateReceiver: projectProcedure("admin")
    .input(z.object({ receiverId, receiver: receiverInput.omit({ secret: true }).partial() }))
    .mutation(({ ctx, input }) => updateReceiver(ctx.projectId, input.receiverId, input.receiver)),
  deleteReceiver: projectProcedure("admin")
    .input(z.object({ receiverId }))
    .mutation(({ ctx, input }) => deleteReceiver(ctx.projectId, input.receiverId)),
  rotateSecret: projectProcedure("admin")
    .input(z.object({ receiverId }))
    .mutation(({ ctx, input }) => rotateSecret(ctx.projectId, input.receiverId)),
  sendTest: projectProcedure("admin")
    .input(z.object({ receiverId }))
    .mutation(({ ctx, input }) => sendTest(ctx.projectId, input.receiverId)),
  notifications: projectProcedure("viewer")
    .input(notificationQuery)
    .query(({ ctx, input }) => notificationLog(ctx.projectId, input)),
  replay: projectProcedure("admin")
    .input(z.object({ notificationId: z.string().min(1) }))
    .mutation(({ ctx, input }) => replayNotification(ctx.projectId, input.notificationId)),

  routing: projectProcedure("viewer").query(({ ctx }) => routingOf(ctx.projectId)),
  setRouting: projectProcedure("admin")
    .input(z.object({ routing: routingInput }))
    .mutation(({ ctx, input }) => setRouting(ctx.projectId, input.routing)),

  silences: projectProcedure("viewer").query(({ ctx }) => listSilences(ctx.projectId)),
  createSilence: projectProcedure("editor")
    .input(z.object({ silence: z.record(z.string(), z.unknown()) }))
    .mutation(({ ctx, input }) => createSilence(ctx.projectId, input.silence, ctx.user.email)),
  expireSilence: projectProcedure("editor")
    .input(z.object({ silenceId: z.uuid("silenceId must be a silence id") }))
    .mutation(({ ctx, input }) => expireSilence(ctx.projectId, input.silenceId)),
});
