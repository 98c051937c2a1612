import { createHash, createHmac, randomBytes } from "node:crypto";
import type { KeyScope } from "@vigil/db";

const scopeTag: Record<KeyScope, string> = { ingest: "ik", read: "rk", admin: "ak" };
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** `vgl_<scope tag>_` and 32 base62 characters drawn from `bytes` (round 0, 1, … as needed). */
function keyFrom(scope: KeyScope, bytes: (round: number) => Buffer): string {
  let body = "";
  for (let round = 0; body.length < 32; round++) {
    // 248 = 4 * 62: dropping bytes >= 248 keeps every character equally likely.
    for (const byte of bytes(round))
      if (byte < 248 && body.length < 32) body += ALPHABET[byte % 62];
  }
  return `vgl_${scopeTag[scope]}_${body}`;
}

/** A new key: `vgl_<scope tag>_` and 32 base62 characters (about 190 bits). */
export function generateKey(scope: KeyScope): string {
  return keyFrom(scope, () => randomBytes(40));
}

/**
 * A key every replica derives alike from a secret they share (HMAC-SHA-512 of `purpose`), for
 * Vigil's own use; the secret cannot be recovered from it.
 */
export function derivedKey(scope: KeyScope, secret: string, purpose: string): string {
  return keyFrom(scope, (round) =>
    createHmac("sha512", secret).update(`${purpose}\u0000${round}`).digest(),
  );
}

/** What is stored: keys are high-entropy, so a plain SHA-256 cannot be brute-forced. */
export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** What the UI shows to tell keys apart: the first 12 characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, 12);
}
