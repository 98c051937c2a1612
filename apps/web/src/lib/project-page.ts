import type { Role } from "@vigil/db/types";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { z } from "zod";
import { type SessionUser, sessionUser } from "@/auth/auth.ts";
import { type ProjectAccess, projectAccess } from "@/domain/tenancy/projects.ts";
import { roleAtLeast } from "@/domain/tenancy/roles.ts";

export type ProjectViewer = ProjectAccess & {
  user: SessionUser;
  /** Whether the viewer has at least this role in the project. */
  can(role: Role): boolean;
};

/**
 * Who is looking at a project page, checked before anything of the project is read: a signed-out
 * browser is sent to sign in, a non-member (or a removed one) and a malformed id get the 404 page.
 * Next.js renders a page apart from its layout, so every page and the layout call this; React's
 * cache makes it one session and membership lookup per request.
 */
export const projectViewer = cache(async (projectId: string): Promise<ProjectViewer> => {
  if (!z.uuid().safeParse(projectId).success) notFound();
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in");
  const access = await projectAccess(user.id, projectId);
  if (!access) notFound();
  return { ...access, user, can: (role) => roleAtLeast(access.role, role) };
});

/** The page's project id after the viewer's membership is checked (see projectViewer). */
export async function projectPage<Params extends { projectId: string }>(
  params: Promise<Params>,
): Promise<Params & { viewer: ProjectViewer }> {
  const resolved = await params;
  return { ...resolved, viewer: await projectViewer(resolved.projectId) };
}
