import { authenticateApiKey, type KeyPrincipal, type KeyUse } from "../domain/keys/api-keys.ts";
import { apiError } from "./api-error.ts";

const reasons = {
  missing: [401, "unauthorized", "Send an API key as Authorization: Bearer <key>"],
  unknown: [401, "unauthorized", "This API key is not valid"],
  revoked: [401, "unauthorized", "This API key was revoked"],
} as const;

/** The key behind a request, or the error response to send: 401 without a valid key, 403 for the wrong scope. */
export async function requireKey(request: Request, use: KeyUse): Promise<KeyPrincipal | Response> {
  const header = request.headers.get("authorization") ?? "";
  const presented = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
  const check = await authenticateApiKey(presented, use);
  if (check.ok) return check.principal;
  if (check.reason === "wrong-scope") {
    const needs =
      use === "ingest" ? "an ingest key" : use === "read" ? "a read or admin key" : "an admin key";
    return apiError(
      403,
      "forbidden",
      `This endpoint needs ${needs}; ingest keys can only send telemetry`,
      { "www-authenticate": "Bearer" },
    );
  }
  const [status, code, message] = reasons[check.reason];
  return apiError(status, code, message, { "www-authenticate": "Bearer" });
}
