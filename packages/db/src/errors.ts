/** True for a unique-constraint violation, from Prisma (P2002) or from pg directly (23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  return error.code === "P2002" || error.code === "23505";
}
