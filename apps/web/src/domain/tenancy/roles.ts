import type { Role } from "@vigil/db";

const rank: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

/** True when `role` is at least `needed` (admin > editor > viewer). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}

export const roles: readonly Role[] = ["admin", "editor", "viewer"];
