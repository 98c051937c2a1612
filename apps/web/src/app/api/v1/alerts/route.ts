import { keyRoute } from "@/api/key-route.ts";
import { activeAlerts } from "@/domain/alerting/alerts.ts";

/** GET /api/v1/alerts — pending, firing and recently resolved alerts, with what holds each back. */
export const GET = keyRoute("read", ({ principal }) => activeAlerts(principal.projectId));
