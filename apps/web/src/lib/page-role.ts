import { headers } from "next/headers";
import { sessionUser } from "@/auth/auth.ts";
import { projectAccess } from "@/domain/tenancy/projects.ts";
import { roleAtLeast } from "@/domain/tenancy/roles.ts";

/** Whether the signed-in user may change the project's dashboards and rules (editor or admin). */
export async function canEditProject(projectId: string): Promise<boolean> {
  const user = await sessionUser(await headers());
  const access = user ? await projectAccess(user.id, projectId) : null;
  return access ? roleAtLeast(access.role, "editor") : false;
}
