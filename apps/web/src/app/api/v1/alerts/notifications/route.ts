import { keyRoute } from "@/api/key-route.ts";
import { notificationLog } from "@/domain/alerting/alerts.ts";

/** GET /api/v1/alerts/notifications?receiverId=&limit= — notifications with every attempt. */
export const GET = keyRoute("read", ({ principal, request }) => {
  const query = new URL(request.url).searchParams;
  return notificationLog(principal.projectId, {
    receiverId: query.get("receiverId") ?? undefined,
    limit: query.has("limit") ? Number(query.get("limit")) : undefined,
  });
});
