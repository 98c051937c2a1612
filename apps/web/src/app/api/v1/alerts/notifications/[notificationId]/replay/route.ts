import { keyRoute } from "@/api/key-route.ts";
import { replayNotification } from "@/domain/alerting/delivery.ts";

/** POST /api/v1/alerts/notifications/{id}/replay — queues it again with its webhook-id. */
export const POST = keyRoute<{ notificationId: string }>("admin", async ({ principal, params }) => {
  await replayNotification(principal.projectId, params.notificationId);
});
