import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { alertmanagerBody, fingerprint, type NotifiedAlert } from "./alertmanager-payload.ts";
import { newWebhookSecret, signWebhook } from "./webhook-signature.ts";

describe("webhook signatures (Standard Webhooks)", () => {
  const now = Math.floor(Date.now() / 1000);

  it("verify with the standardwebhooks library, and fail for another body or secret", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const body = JSON.stringify({ version: "4", status: "firing" });
    const headers = signWebhook({ id: "msg_1", timestampSeconds: now, body, secrets: [secret] });
    expect(new Webhook(secret).verify(body, headers)).toEqual({ version: "4", status: "firing" });
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(body, headers)).toThrow();
  });

  it("sign with every secret during a rotation, so receivers on either one verify", () => {
    const [old, next] = [newWebhookSecret(), newWebhookSecret()];
    const body = "{}";
    const headers = signWebhook({ id: "msg_2", timestampSeconds: now, body, secrets: [old, next] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(new Webhook(old).verify(body, headers)).toEqual({});
    expect(new Webhook(next).verify(body, headers)).toEqual({});
  });

  it("refuse a secret that is not whsec_ and 24–64 bytes", () => {
    const sign = (secret: string) => () =>
      signWebhook({ id: "m", timestampSeconds: now, body: "", secrets: [secret] });
    expect(sign("plain-text")).toThrow("a webhook secret starts with whsec_");
    expect(sign(`whsec_${Buffer.alloc(8).toString("base64")}`)).toThrow(/24–64 bytes/);
    expect(() => signWebhook({ id: "m", timestampSeconds: now, body: "", secrets: [] })).toThrow();
  });
});

describe("the Alertmanager v4 body", () => {
  const alert = (labels: Record<string, string>, status: "firing" | "resolved"): NotifiedAlert => ({
    status,
    labels,
    annotations: { summary: `${labels.service} is slow`, runbook: "https://runbooks/latency" },
    startsAt: new Date("2026-12-01T10:00:00Z"),
    endsAt: status === "resolved" ? new Date("2026-12-01T10:05:00Z") : null,
    generatorURL: "http://vigil/alerts/1",
  });

  it("carries the group's shared labels and annotations, and is firing while any alert fires", () => {
    const body = alertmanagerBody({
      receiver: "ops",
      groupKey: '{}:{alertname="HighLatency"}',
      groupLabels: { alertname: "HighLatency" },
      alerts: [
        alert({ alertname: "HighLatency", severity: "page", service: "checkout" }, "firing"),
        alert({ alertname: "HighLatency", severity: "page", service: "orders" }, "resolved"),
      ],
      externalURL: "http://vigil",
    });
    expect(body).toMatchObject({
      version: "4",
      status: "firing",
      truncatedAlerts: 0,
      commonLabels: { alertname: "HighLatency", severity: "page" },
      commonAnnotations: { runbook: "https://runbooks/latency" },
    });
    expect(body.alerts[0]).toMatchObject({
      endsAt: "0001-01-01T00:00:00Z",
      startsAt: "2026-12-01T10:00:00.000Z",
    });
    expect(body.alerts[1]?.endsAt).toBe("2026-12-01T10:05:00.000Z");
    const resolved = alertmanagerBody({
      receiver: "ops",
      groupKey: "g",
      groupLabels: {},
      alerts: [alert({ alertname: "HighLatency", service: "orders" }, "resolved")],
      externalURL: "http://vigil",
    });
    expect(resolved.status).toBe("resolved");
  });

  it("fingerprints an alert by its labels alone, in any order, as 16 hex digits", () => {
    const a = fingerprint({ alertname: "HighLatency", service: "checkout" });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ service: "checkout", alertname: "HighLatency" })).toBe(a);
    expect(fingerprint({ alertname: "HighLatency", service: "orders" })).not.toBe(a);
    // FNV-1a of nothing is its offset basis.
    expect(fingerprint({})).toBe("cbf29ce484222325");
  });
});
