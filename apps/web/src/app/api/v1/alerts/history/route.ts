import { keyRoute } from "@/api/key-route.ts";
import { alertHistory, historyQuery } from "@/domain/alerting/alerts.ts";
import { parseInput, queryOf } from "@/domain/telemetry/query-params.ts";

/** GET /api/v1/alerts/history?ruleId=&limit= — alert state changes, newest first. */
export const GET = keyRoute("read", ({ principal, request }) =>
  alertHistory(principal.projectId, parseInput(historyQuery, queryOf(request))),
);
