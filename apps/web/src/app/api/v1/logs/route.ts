import { domainErrorResponse } from "@/api/api-error.ts";
import { requireKey } from "@/api/key-auth.ts";
import { findLogs } from "@/domain/telemetry/log-search.ts";
import { queryOf } from "@/domain/telemetry/query-params.ts";

/** GET /api/v1/logs?service=&from=&to=&severity=&traceId=&q=&limit= — recent matching log records. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireKey(request, "read");
  if (principal instanceof Response) return principal;
  try {
    return Response.json(await findLogs(principal.projectId, queryOf(request)));
  } catch (error) {
    return domainErrorResponse(error);
  }
}
