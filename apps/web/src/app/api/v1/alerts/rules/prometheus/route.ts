import { keyRoute } from "@/api/key-route.ts";
import { applyPrometheusRules } from "@/domain/alerting/provisioning.ts";

/**
 * POST /api/v1/alerts/rules/prometheus — applies a Prometheus rule file (YAML or JSON body:
 * `groups: [{ name, interval, rules: [{ alert, expr, for, keep_firing_for, labels, annotations }] }]`),
 * creating or updating rules by name (admin key).
 */
export const POST = keyRoute("admin", async ({ principal, request }) =>
  applyPrometheusRules(principal.projectId, await request.text()),
);
