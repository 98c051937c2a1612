import { keyRoute } from "@/api/key-route.ts";
import { sendTest } from "@/domain/alerting/delivery.ts";

/** POST /api/v1/alerts/receivers/{id}/test — sends a test notification now; answers the outcome. */
export const POST = keyRoute<{ receiverId: string }>("admin", ({ principal, params }) =>
  sendTest(principal.projectId, params.receiverId),
);
