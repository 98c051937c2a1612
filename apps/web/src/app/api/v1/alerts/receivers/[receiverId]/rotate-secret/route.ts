import { keyRoute } from "@/api/key-route.ts";
import { rotateSecret } from "@/domain/alerting/receivers.ts";

/** POST /api/v1/alerts/receivers/{id}/rotate-secret — a new secret; the old one signs 24 h more. */
export const POST = keyRoute<{ receiverId: string }>("admin", ({ principal, params }) =>
  rotateSecret(principal.projectId, params.receiverId),
);
