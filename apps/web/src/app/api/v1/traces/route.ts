import { domainErrorResponse } from "@/api/api-error.ts";
import { requireKey } from "@/api/key-auth.ts";
import { queryOf } from "@/domain/telemetry/query-params.ts";
import { findTraces } from "@/domain/telemetry/trace-search.ts";

/** GET /api/v1/traces?service=&from=&to=&minDurationMs=&status=&limit= — recent matching traces. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireKey(request, "read");
  if (principal instanceof Response) return principal;
  try {
    return Response.json(await findTraces(principal.projectId, queryOf(request)));
  } catch (error) {
    return domainErrorResponse(error);
  }
}
