import { randomBytes } from "node:crypto";
import { db, type Role } from "@vigil/db";
import { createPasswordUser, type UserRecord } from "../domain/accounts/users.ts";
import { createCaller } from "../trpc/root.ts";

const unique = () => randomBytes(4).toString("hex");

/** An organisation with one project, with unique names. */
export async function createOrgWithProject(): Promise<{
  organizationId: string;
  projectId: string;
}> {
  const tag = unique();
  const organization = await db().prisma.organization.create({
    data: {
      name: `Org ${tag}`,
      slug: `org-${tag}`,
      projects: { create: { name: `Project ${tag}`, slug: `project-${tag}` } },
    },
    select: { id: true, projects: { select: { id: true } } },
  });
  const projectId = organization.projects[0]?.id;
  if (!projectId) throw new Error("fixture: project not created");
  return { organizationId: organization.id, projectId };
}

export const FIXTURE_PASSWORD = "fixture-password";

/** A user with FIXTURE_PASSWORD, a member of the organisation with the role. */
export async function createMember(organizationId: string, role: Role): Promise<UserRecord> {
  const user = await createPasswordUser({
    email: `${role}-${unique()}@vigil.test`,
    password: FIXTURE_PASSWORD,
  });
  await db().prisma.membership.create({ data: { organizationId, userId: user.id, role } });
  return user;
}

/** The tRPC API as a signed-in user (or anonymous) would call it. */
export function callerFor(user: UserRecord | null) {
  return createCaller({ user: user ? { id: user.id, email: user.email, name: user.name } : null });
}
