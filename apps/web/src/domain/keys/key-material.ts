import { createHash, randomBytes } from "node:crypto";
import type { KeyScope } from "@vigil/db";

const scopeTag: Record<KeyScope, string> = { ingest: "ik", read: "rk", admin: "ak" };
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A new key: `vgl_<scope tag>_` and 32 base62 characters (about 190 bits). */
export function generateKey(scope: KeyScope): string {
  let body = "";
  while (body.length < 32) {
    // 248 = 4 * 62: dropping bytes >= 248 keeps every character equally likely.
    for (const byte of randomBytes(40))
      if (byte < 248 && body.length < 32) body += ALPHABET[byte % 62];
  }
  return `vgl_${scopeTag[scope]}_${body}`;
}

/** What is stored: keys are high-entropy, so a plain SHA-256 cannot be brute-forced. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What the UI shows to tell keys apart: the first 12 characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, 12);
}
