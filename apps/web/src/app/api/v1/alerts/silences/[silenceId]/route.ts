import { keyRoute } from "@/api/key-route.ts";
import { expireSilence } from "@/domain/alerting/silences.ts";

/** DELETE /api/v1/alerts/silences/{id} — expires the silence now. */
export const DELETE = keyRoute<{ silenceId: string }>("admin", ({ principal, params }) =>
  expireSilence(principal.projectId, params.silenceId),
);
