import { requireKey } from "@/api/key-auth.ts";
import { getProject } from "@/domain/tenancy/projects.ts";

/** GET /api/v1/project — the project a read or admin key belongs to (a quick way to check a key). */
export async function GET(request: Request): Promise<Response> {
  const principal = await requireKey(request, "read");
  if (principal instanceof Response) return principal;
  return Response.json({ ...(await getProject(principal.projectId)), keyScope: principal.scope });
}
