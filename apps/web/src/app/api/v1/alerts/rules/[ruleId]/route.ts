import { keyRoute } from "@/api/key-route.ts";
import { deleteRule, getRule, updateRule } from "@/domain/alerting/rules.ts";

type Params = { ruleId: string };

/** GET /api/v1/alerts/rules/{ruleId}. */
export const GET = keyRoute<Params>("read", ({ principal, params }) =>
  getRule(principal.projectId, params.ruleId),
);

/** PUT /api/v1/alerts/rules/{ruleId} — replaces the rule (admin key). */
export const PUT = keyRoute<Params>("admin", async ({ principal, params, json }) =>
  updateRule(principal.projectId, params.ruleId, await json()),
);

/** DELETE /api/v1/alerts/rules/{ruleId} (admin key). */
export const DELETE = keyRoute<Params>("admin", async ({ principal, params }) => {
  await deleteRule(principal.projectId, params.ruleId);
});
