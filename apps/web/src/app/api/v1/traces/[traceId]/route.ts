import { domainErrorResponse } from "@/api/api-error.ts";
import { requireKey } from "@/api/key-auth.ts";
import { getTrace } from "@/domain/traces/get-trace.ts";

/** GET /api/v1/traces/{traceId} — every span of one trace. */
export async function GET(
  request: Request,
  context: { params: Promise<{ traceId: string }> },
): Promise<Response> {
  const principal = await requireKey(request, "read");
  if (principal instanceof Response) return principal;
  const { traceId } = await context.params;
  try {
    return Response.json(await getTrace(principal.projectId, traceId));
  } catch (error) {
    return domainErrorResponse(error);
  }
}
