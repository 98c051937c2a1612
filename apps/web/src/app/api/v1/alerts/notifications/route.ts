import { keyRoute } from "@/api/key-route.ts";
import { notificationLog, notificationQuery } from "@/domain/alerting/alerts.ts";
import { parseInput, queryOf } from "@/domain/telemetry/query-params.ts";

/** GET /api/v1/alerts/notifications?receiverId=&limit= — notifications with every attempt. */
export const GET = keyRoute("read", ({ principal, request }) =>
  notificationLog(principal.projectId, parseInput(notificationQuery, queryOf(request))),
);
