import { keyRoute } from "@/api/key-route.ts";
import { createRule, listRules } from "@/domain/alerting/rules.ts";

/** GET /api/v1/alerts/rules — every rule with its state. */
export const GET = keyRoute("read", ({ principal }) => listRules(principal.projectId));

/** POST /api/v1/alerts/rules — creates a rule (admin key). */
export const POST = keyRoute(
  "admin",
  async ({ principal, json }) => createRule(principal.projectId, await json()),
  201,
);
