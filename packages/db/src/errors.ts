/** True for a unique-constraint violation, from Prisma (P2002) or from pg directly (23505). */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  return error.code === "P2002" || error.code === "23505";
}

/**
 * True when PostgreSQL refused a value rather than failed: a data exception (class 22), an
 * integrity violation (23) or a program limit such as an index row too large (54).
 */
export function isRowRefused(error: unknown): boolean {
  if (typeof error !== "object" || error === null || !("code" in error)) return false;
  const code = String(error.code);
  return code.length === 5 && ["22", "23", "54"].includes(code.slice(0, 2));
}
