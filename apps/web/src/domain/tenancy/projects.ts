import { db, isUniqueViolation, type Role } from "@vigil/db";
import { DomainError } from "../errors.ts";

export type ProjectSummary = {
  id: string;
  name: string;
  slug: string;
  organizationId: string;
  organizationName: string;
  role: Role;
};

/** The projects a user can open, with the role their organisation membership gives them. */
export async function listProjectsForUser(userId: string): Promise<ProjectSummary[]> {
  const memberships = await db().prisma.membership.findMany({
    where: { userId },
    select: {
      role: true,
      organization: {
        select: {
          id: true,
          name: true,
          projects: { select: { id: true, name: true, slug: true }, orderBy: { createdAt: "asc" } },
        },
      },
    },
    orderBy: { createdAt: "asc" },
  });
  return memberships.flatMap(({ role, organization }) =>
    organization.projects.map((project) => ({
      ...project,
      organizationId: organization.id,
      organizationName: organization.name,
      role,
    })),
  );
}

export type ProjectAccess = { projectId: string; organizationId: string; role: Role };

/** The user's role on a project, or null when the user is not a member of its organisation. */
export async function projectAccess(
  userId: string,
  projectId: string,
): Promise<ProjectAccess | null> {
  const project = await db().prisma.project.findUnique({
    where: { id: projectId },
    select: {
      organizationId: true,
      organization: { select: { memberships: { where: { userId }, select: { role: true } } } },
    },
  });
  const role = project?.organization.memberships[0]?.role;
  if (!project || !role) return null;
  return { projectId, organizationId: project.organizationId, role };
}

export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return slug || "project";
}

export async function createProject(
  organizationId: string,
  name: string,
): Promise<ProjectSummary & { role: Role }> {
  const slug = slugify(name);
  try {
    const project = await db().prisma.project.create({
      data: { organizationId, name, slug },
      select: {
        id: true,
        name: true,
        slug: true,
        organization: { select: { id: true, name: true } },
      },
    });
    return {
      id: project.id,
      name: project.name,
      slug: project.slug,
      organizationId: project.organization.id,
      organizationName: project.organization.name,
      role: "admin",
    };
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new DomainError(
        "CONFLICT",
        `A project named like "${name}" already exists; choose another name`,
      );
    }
    throw error;
  }
}

/** The default organisation and its default project, created on first start. */
export async function ensureDefaultProject(): Promise<{
  organizationId: string;
  projectId: string;
}> {
  const prisma = db().prisma;
  const organization = await prisma.organization.upsert({
    where: { slug: "default" },
    update: {},
    create: { name: "Default organisation", slug: "default" },
  });
  const project = await prisma.project.upsert({
    where: { organizationId_slug: { organizationId: organization.id, slug: "default" } },
    update: {},
    create: { organizationId: organization.id, name: "Default project", slug: "default" },
  });
  return { organizationId: organization.id, projectId: project.id };
}

export async function getProject(
  projectId: string,
): Promise<{ id: string; name: string; slug: string; organization: string }> {
  const project = await db().prisma.project.findUnique({
    where: { id: projectId },
    select: { id: true, name: true, slug: true, organization: { select: { name: true } } },
  });
  if (!project) throw new DomainError("NOT_FOUND", "No such project");
  return {
    id: project.id,
    name: project.name,
    slug: project.slug,
    organization: project.organization.name,
  };
}
