import { keyRoute } from "@/api/key-route.ts";
import { createSilence, listSilences } from "@/domain/alerting/silences.ts";

/** GET /api/v1/alerts/silences — active, pending and recently expired silences. */
export const GET = keyRoute("read", ({ principal }) => listSilences(principal.projectId));

/** POST /api/v1/alerts/silences — `{ matchers, startsAt?, endsAt, comment }` (admin key). */
export const POST = keyRoute(
  "admin",
  async ({ principal, json }) =>
    createSilence(principal.projectId, await json(), `api key ${principal.keyId}`),
  201,
);
