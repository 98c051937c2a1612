import { keyRoute } from "@/api/key-route.ts";
import { alertHistory } from "@/domain/alerting/alerts.ts";

/** GET /api/v1/alerts/history?ruleId=&limit= — alert state changes, newest first. */
export const GET = keyRoute("read", ({ principal, request }) => {
  const query = new URL(request.url).searchParams;
  return alertHistory(principal.projectId, {
    ruleId: query.get("ruleId") ?? undefined,
    limit: query.has("limit") ? Number(query.get("limit")) : undefined,
  });
});
