import { keyRoute } from "@/api/key-route.ts";
import { previewRule } from "@/domain/alerting/preview.ts";

/** POST /api/v1/alerts/rules/preview?hours=3 — what a rule (the body) would have done lately. */
export const POST = keyRoute("read", async ({ principal, request, json }) => {
  const hours = new URL(request.url).searchParams.get("hours");
  return previewRule(principal.projectId, await json(), hours ? Number(hours) : undefined);
});
