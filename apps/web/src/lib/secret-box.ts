import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { runtime } from "../server/runtime.ts";

// Secrets Vigil must use again later (webhook signing secrets, receivers' extra headers) are
// sealed with AES-256-GCM under a key derived from the session-signing secret, which lives
// outside the database: a dump of the database alone reveals none of them.

const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(
    hkdfSync("sha256", runtime().authSecret, "vigil", "vigil sealed secrets v1", 32),
  );
}

/** `v1.<iv>.<tag>.<ciphertext>`, each base64url. */
export function seal(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), data]
    .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
    .join(".");
}

/** The plain text of a sealed value; throws if it was sealed under another key or altered. */
export function unseal(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(".");
  if (version !== VERSION || !iv || !tag || data === undefined)
    throw new Error("not a sealed value");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([
    decipher.update(Buffer.from(data, "base64url")),
    decipher.final(),
  ]).toString("utf8");
}
