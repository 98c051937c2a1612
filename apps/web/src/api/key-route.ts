import { DomainError } from "../domain/errors.ts";
import type { KeyPrincipal, KeyUse } from "../domain/keys/api-keys.ts";
import { domainErrorResponse } from "./api-error.ts";
import { requireKey } from "./key-auth.ts";

type Params = Record<string, string>;
type Handler<P extends Params> = (call: {
  principal: KeyPrincipal;
  request: Request;
  params: P;
  /** The request's JSON body; a body that is not JSON is a 400 that says so. */
  json(): Promise<unknown>;
}) => Promise<unknown>;

async function readJson(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) throw new DomainError("BAD_REQUEST", "send a JSON body");
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DomainError("BAD_REQUEST", `the body is not JSON: ${(error as Error).message}`);
  }
}

/**
 * A REST handler behind an API key: the key is checked for the use, domain errors become the API's
 * error shape, and the handler's value is the JSON answer (204 when it returns nothing).
 */
export function keyRoute<P extends Params = Params>(use: KeyUse, handle: Handler<P>, status = 200) {
  return async (request: Request, context: { params: Promise<P> }): Promise<Response> => {
    const principal = await requireKey(request, use);
    if (principal instanceof Response) return principal;
    try {
      const result = await handle({
        principal,
        request,
        params: await context.params,
        json: () => readJson(request),
      });
      return result === undefined
        ? new Response(null, { status: 204 })
        : Response.json(result, { status });
    } catch (error) {
      return domainErrorResponse(error);
    }
  };
}
