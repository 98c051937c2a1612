import { isRowRefused } from "@vigil/db";
import { DomainError } from "../domain/errors.ts";

/** The REST API's one error shape: `{ "error": { "code": "...", "message": "..." } }`. */
export function apiError(
  status: number,
  code: string,
  message: string,
  headers?: HeadersInit,
): Response {
  return Response.json({ error: { code, message } }, { status, headers });
}

const statusOf = { BAD_REQUEST: 400, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 } as const;

/**
 * A DomainError as the REST error shape, and a value the database refused (input no check caught)
 * as a 400; anything else is rethrown (a 500 with a logged cause).
 */
export function domainErrorResponse(error: unknown): Response {
  if (error instanceof DomainError)
    return apiError(statusOf[error.code], error.code.toLowerCase(), error.message);
  if (isRowRefused(error))
    return apiError(
      400,
      "bad_request",
      `a value of this request cannot be stored or compared: ${(error as Error).message}`,
    );
  throw error;
}
