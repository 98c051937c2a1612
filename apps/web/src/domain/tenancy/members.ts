import { db, type Role } from "@vigil/db";
import { createPasswordUser, findUserByEmail, generateInitialPassword } from "../accounts/users.ts";
import { DomainError } from "../errors.ts";

export type MemberView = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: Date;
};

export async function listMembers(organizationId: string): Promise<MemberView[]> {
  const rows = await db().prisma.membership.findMany({
    where: { organizationId },
    select: {
      role: true,
      createdAt: true,
      user: { select: { id: true, email: true, name: true } },
    },
    orderBy: { createdAt: "asc" },
  });
  return rows.map((row) => ({
    userId: row.user.id,
    email: row.user.email,
    name: row.user.name,
    role: row.role,
    joinedAt: row.createdAt,
  }));
}

/**
 * Adds a member by email. A person without a Vigil account gets one, with a one-time password
 * returned here for the admin to pass on (Vigil sends no email).
 */
export async function addMember(
  organizationId: string,
  email: string,
  role: Role,
): Promise<{ member: MemberView; initialPassword: string | null }> {
  let user = await findUserByEmail(email);
  let initialPassword: string | null = null;
  if (!user) {
    initialPassword = generateInitialPassword();
    user = await createPasswordUser({ email, password: initialPassword });
  }
  const existing = await db().prisma.membership.findUnique({
    where: { organizationId_userId: { organizationId, userId: user.id } },
  });
  if (existing)
    throw new DomainError("CONFLICT", `${user.email} is already a member (${existing.role})`);
  const row = await db().prisma.membership.create({
    data: { organizationId, userId: user.id, role },
    select: { createdAt: true },
  });
  return {
    member: { userId: user.id, email: user.email, name: user.name, role, joinedAt: row.createdAt },
    initialPassword,
  };
}

export async function setMemberRole(
  organizationId: string,
  userId: string,
  role: Role,
): Promise<void> {
  await db().prisma.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId, userId } },
    });
    if (!member) throw new DomainError("NOT_FOUND", "No such member in this organisation");
    if (member.role === "admin" && role !== "admin")
      await assertAnotherAdmin(tx, organizationId, userId);
    await tx.membership.update({
      where: { organizationId_userId: { organizationId, userId } },
      data: { role },
    });
  });
}

export async function removeMember(organizationId: string, userId: string): Promise<void> {
  await db().prisma.$transaction(async (tx) => {
    const member = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId, userId } },
    });
    if (!member) throw new DomainError("NOT_FOUND", "No such member in this organisation");
    if (member.role === "admin") await assertAnotherAdmin(tx, organizationId, userId);
    await tx.membership.delete({ where: { organizationId_userId: { organizationId, userId } } });
  });
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["prisma"]["$transaction"]>[0]>[0];

async function assertAnotherAdmin(tx: Tx, organizationId: string, userId: string): Promise<void> {
  const others = await tx.membership.count({
    where: { organizationId, role: "admin", userId: { not: userId } },
  });
  if (others === 0) {
    throw new DomainError(
      "BAD_REQUEST",
      "An organisation needs at least one admin; make someone else admin first",
    );
  }
}
