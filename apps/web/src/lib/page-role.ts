import type { Role } from "@vigil/db/types";
import { headers } from "next/headers";
import { sessionUser } from "@/auth/auth.ts";
import { projectAccess } from "@/domain/tenancy/projects.ts";
import { roleAtLeast } from "@/domain/tenancy/roles.ts";

/** Whether the signed-in user has at least this role in the project. */
export async function hasProjectRole(projectId: string, role: Role): Promise<boolean> {
  const user = await sessionUser(await headers());
  const access = user ? await projectAccess(user.id, projectId) : null;
  return access ? roleAtLeast(access.role, role) : false;
}

/** Whether the signed-in user may change the project's dashboards and rules (editor or admin). */
export function canEditProject(projectId: string): Promise<boolean> {
  return hasProjectRole(projectId, "editor");
}
