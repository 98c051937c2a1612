import { keyRoute } from "@/api/key-route.ts";
import { routingOf, setRouting } from "@/domain/alerting/config.ts";

/** GET /api/v1/alerts/routing — the routing tree and inhibit rules in use. */
export const GET = keyRoute("read", ({ principal }) => routingOf(principal.projectId));

/** PUT /api/v1/alerts/routing — `{ route, inhibitRules }`; null for either restores the default. */
export const PUT = keyRoute("admin", async ({ principal, json }) =>
  setRouting(principal.projectId, await json()),
);
