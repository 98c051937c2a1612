import type { IncomingMessage } from "node:http";
import { authenticateApiKey, type KeyPrincipal } from "../domain/keys/api-keys.ts";

/**
 * The ingest key of a request (`Authorization: Bearer <key>`): its principal, or why it is
 * refused, in words a sender's operator can act on.
 */
export async function ingestKeyOf(
  req: IncomingMessage,
): Promise<{ ok: true; principal: KeyPrincipal } | { ok: false; message: string }> {
  const presented = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? "")?.[1]?.trim();
  const key = await authenticateApiKey(presented, "ingest");
  if (key.ok) return { ok: true, principal: key.principal };
  const why = {
    missing: "send an ingest key as Authorization: Bearer <key>",
    unknown: "this key is not valid",
    revoked: "this key was revoked",
    "wrong-scope": "this key is not an ingest key",
  }[key.reason];
  return { ok: false, message: `unauthenticated: ${why}` };
}
