import { requireKey } from "@/api/key-auth.ts";
import { listServices } from "@/domain/telemetry/services.ts";

/** GET /api/v1/services — every service of the key's project, with its instances. */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireKey(request, "read");
  if (principal instanceof Response) return principal;
  return Response.json({ services: await listServices(principal.projectId) });
}
