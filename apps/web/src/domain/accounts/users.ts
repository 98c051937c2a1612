import { randomBytes, randomUUID } from "node:crypto";
import { db } from "@vigil/db";
import { hashPassword } from "better-auth/crypto";

export type UserRecord = { id: string; email: string; name: string };

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function findUserByEmail(email: string): Promise<UserRecord | null> {
  return db().prisma.user.findUnique({
    where: { email: normaliseEmail(email) },
    select: { id: true, email: true, name: true },
  });
}

/**
 * Creates a user who signs in with email and password. Self sign-up is off in Vigil, so users
 * come from here: the bootstrap admin and members an admin adds. The password is stored the way
 * better-auth checks it (its scrypt hash), in the credential account.
 */
export async function createPasswordUser(input: {
  email: string;
  name?: string;
  password: string;
}): Promise<UserRecord> {
  const email = normaliseEmail(input.email);
  const id = randomUUID();
  const password = await hashPassword(input.password);
  return db().prisma.user.create({
    data: {
      id,
      email,
      name: input.name?.trim() || email.split("@")[0] || email,
      accounts: { create: { id: randomUUID(), accountId: id, providerId: "credential", password } },
    },
    select: { id: true, email: true, name: true },
  });
}

/** A readable one-time password for a new member: 4 groups of 5 base32 characters. */
export function generateInitialPassword(): string {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  const bytes = randomBytes(20);
  const chars = Array.from(bytes, (byte) => alphabet[byte % alphabet.length]).join("");
  return chars.match(/.{5}/g)?.join("-") ?? chars;
}
