import { keyRoute } from "@/api/key-route.ts";
import { createReceiver, listReceivers } from "@/domain/alerting/receivers.ts";

/** GET /api/v1/alerts/receivers — receivers without their secrets or header values (admin key). */
export const GET = keyRoute("admin", ({ principal }) => listReceivers(principal.projectId));

/** POST /api/v1/alerts/receivers — the answer holds the signing secret, shown only this once. */
export const POST = keyRoute(
  "admin",
  async ({ principal, json }) => createReceiver(principal.projectId, await json()),
  201,
);
