import type { alertmanagerBody } from "./alertmanager-payload.ts";

// A receiver's own body (chat tools and the like) instead of the Alertmanager JSON:
// {{ status }}, {{ receiver }}, {{ externalURL }}, {{ groupLabels.<name> }},
// {{ commonLabels.<name> }}, {{ commonAnnotations.<name> }}, {{ alerts.count }},
// {{ alerts.firing }}, {{ alerts.resolved }} and {{ alerts.summary }} (one line per alert).
// In a template that is JSON ({ or [ first), values are escaped for JSON strings.

type Payload = ReturnType<typeof alertmanagerBody>;

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;
const FIELDS =
  /^(status|receiver|externalURL|alerts\.(count|firing|resolved|summary)|(groupLabels|commonLabels|commonAnnotations)\.[A-Za-z_][A-Za-z0-9_.]*)$/;

function lookup(payload: Payload, path: string): string {
  const [head, ...rest] = path.split(".");
  const name = rest.join(".");
  switch (head) {
    case "status":
      return payload.status;
    case "receiver":
      return payload.receiver;
    case "externalURL":
      return payload.externalURL;
    case "alerts":
      if (name === "count") return String(payload.alerts.length);
      if (name === "firing")
        return String(payload.alerts.filter((alert) => alert.status === "firing").length);
      if (name === "resolved")
        return String(payload.alerts.filter((alert) => alert.status === "resolved").length);
      return payload.alerts
        .map((alert) => {
          const what = alert.annotations.summary ?? alert.annotations.description ?? "";
          const where = alert.labels.service ? ` ${alert.labels.service}` : "";
          return `[${alert.status.toUpperCase()}] ${alert.labels.alertname ?? ""}${where}${what ? `: ${what}` : ""}`;
        })
        .join("\n");
    default:
      return (payload[head as "groupLabels"] as Record<string, string>)[name] ?? "";
  }
}

export function renderBody(template: string, payload: Payload): string {
  const json = /^\s*[[{]/.test(template);
  return template.replace(PLACEHOLDER, (_whole, path: string) => {
    const value = lookup(payload, path);
    return json ? JSON.stringify(value).slice(1, -1) : value;
  });
}

/** Throws, naming the problem, if a body template uses unknown fields or renders invalid JSON. */
export function checkBodyTemplate(template: string, sample: Payload): void {
  for (const [whole, path] of template.matchAll(PLACEHOLDER)) {
    if (!FIELDS.test(path ?? ""))
      throw new Error(
        `${whole} is not a body template field; use status, receiver, externalURL, alerts.count|firing|resolved|summary, groupLabels.<name>, commonLabels.<name> or commonAnnotations.<name>`,
      );
  }
  if (/^\s*[[{]/.test(template)) {
    try {
      JSON.parse(renderBody(template, sample));
    } catch (error) {
      throw new Error(
        `the body template looks like JSON but does not render valid JSON: ${(error as Error).message}`,
      );
    }
  }
}
