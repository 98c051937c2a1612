import { Webhook } from "standardwebhooks";

// The demo's alert receiver: Vigil's webhook deliveries land here, are checked against the
// receiver's signing secret (Standard Webhooks), and the latest are kept for the Demo panel.

export type ReceivedAlert = {
  receivedAt: string;
  webhookId: string;
  status: string;
  alerts: { name: string; status: string; summary: string }[];
};

type Payload = {
  status?: string;
  alerts?: {
    status?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }[];
};

const KEEP = 30;

export class WebhookInbox {
  readonly received: ReceivedAlert[] = [];
  readonly #verifier: Webhook | null;

  constructor(secret: string | null) {
    this.#verifier = secret ? new Webhook(secret) : null;
  }

  /** Takes one delivery; returns the HTTP status to answer with. */
  accept(body: string, headers: Record<string, string | string[] | undefined>): number {
    const header = (name: string) => String(headers[name] ?? "");
    let payload: Payload;
    try {
      payload = (
        this.#verifier
          ? this.#verifier.verify(body, {
              "webhook-id": header("webhook-id"),
              "webhook-timestamp": header("webhook-timestamp"),
              "webhook-signature": header("webhook-signature"),
            })
          : JSON.parse(body)
      ) as Payload;
    } catch {
      return 401;
    }
    this.received.unshift({
      receivedAt: new Date().toISOString(),
      webhookId: header("webhook-id"),
      status: payload.status ?? "unknown",
      alerts: (payload.alerts ?? []).map((alert) => ({
        name: alert.labels?.alertname ?? "",
        status: alert.status ?? "",
        summary: alert.annotations?.summary ?? "",
      })),
    });
    this.received.length = Math.min(this.received.length, KEEP);
    return 204;
  }
}
