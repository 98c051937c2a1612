import { domainErrorResponse } from "@/api/api-error.ts";
import { requireKey } from "@/api/key-auth.ts";
import { queryMetricSeries } from "@/domain/telemetry/metrics-query.ts";
import { queryOf } from "@/domain/telemetry/query-params.ts";

/** GET /api/v1/metrics/query?name=&service=&from=&to=&step=&agg= — one metric over time. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireKey(request, "read");
  if (principal instanceof Response) return principal;
  try {
    return Response.json(await queryMetricSeries(principal.projectId, queryOf(request)));
  } catch (error) {
    return domainErrorResponse(error);
  }
}
