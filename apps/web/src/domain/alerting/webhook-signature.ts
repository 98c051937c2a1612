import { createHmac, randomBytes } from "node:crypto";

// Standard Webhooks (PROTOCOLS.md): webhook-id, webhook-timestamp and webhook-signature, the
// last being "v1," + base64(HMAC-SHA256(secret, `${id}.${timestamp}.${body}`)) per secret.

const PREFIX = "whsec_";

/** A new signing secret, shown once to the user: `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  return `${PREFIX}${randomBytes(32).toString("base64")}`;
}

/** The key bytes of a `whsec_…` secret; throws on anything else, naming what is wrong. */
function keyOf(secret: string): Buffer {
  if (!secret.startsWith(PREFIX)) throw new Error("a webhook secret starts with whsec_");
  const key = Buffer.from(secret.slice(PREFIX.length), "base64");
  if (key.length < 24 || key.length > 64) {
    throw new Error("a webhook secret holds 24–64 bytes, base64-encoded after whsec_");
  }
  return key;
}

export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

/**
 * The headers that sign one delivery attempt. `id` stays the same across retries of one
 * notification; during a rotation every current secret signs, space-separated.
 */
export function signWebhook(message: {
  id: string;
  timestampSeconds: number;
  body: string;
  secrets: string[];
}): SignedHeaders {
  if (message.secrets.length === 0) throw new Error("signing needs at least one secret");
  const timestamp = String(Math.floor(message.timestampSeconds));
  const content = `${message.id}.${timestamp}.${message.body}`;
  const signatures = message.secrets.map(
    (secret) => `v1,${createHmac("sha256", keyOf(secret)).update(content).digest("base64")}`,
  );
  return {
    "webhook-id": message.id,
    "webhook-timestamp": timestamp,
    "webhook-signature": signatures.join(" "),
  };
}
