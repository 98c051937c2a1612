import { initTRPC, TRPCError } from "@trpc/server";
import type { Role } from "@vigil/db";
import superjson from "superjson";
import { z } from "zod";
import type { SessionUser } from "../auth/auth.ts";
import { DomainError } from "../domain/errors.ts";
import { projectAccess } from "../domain/tenancy/projects.ts";
import { roleAtLeast } from "../domain/tenancy/roles.ts";

export type Context = { user: SessionUser | null };

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    // Validation errors say which field was wrong, in words, not as a zod dump.
    const issues = error.cause instanceof z.ZodError ? error.cause.issues : undefined;
    const message = issues
      ?.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`)
      .join("; ");
    return { ...shape, message: message ?? shape.message };
  },
});

/** Domain errors become the matching tRPC error, with their message intact. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    throw new TRPCError({
      code: result.error.cause.code,
      message: result.error.cause.message,
      cause: result.error.cause,
    });
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure.use(domainErrors);

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in first" });
  return next({ ctx: { user: ctx.user } });
});

export const projectInput = z.object({ projectId: z.uuid("projectId must be a project id") });

/**
 * A procedure on one project. Every procedure names the least role it needs: a non-member gets
 * NOT_FOUND (project ids are not confirmed to outsiders), a member below the role FORBIDDEN.
 */
export function projectProcedure(minRole: Role) {
  return authedProcedure.input(projectInput).use(async ({ ctx, input, next }) => {
    const access = await projectAccess(ctx.user.id, input.projectId);
    if (!access) throw new TRPCError({ code: "NOT_FOUND", message: "No such project" });
    if (!roleAtLeast(access.role, minRole)) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `This needs the ${minRole} role; you are ${access.role}`,
      });
    }
    return next({ ctx: { ...access, user: ctx.user } });
  });
}
