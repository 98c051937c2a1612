import { TRPCError } from "@trpc/server";
import { z } from "zod";
import {
  addMember,
  listMembers,
  removeMember,
  setMemberRole,
} from "../../domain/tenancy/members.ts";
import { projectProcedure, router } from "../init.ts";

const role = z.enum(["admin", "editor", "viewer"], "role must be admin, editor or viewer");

// Members belong to the project's organisation; every call is scoped through the project.
export const membersRouter = router({
  list: projectProcedure("viewer").query(({ ctx }) => listMembers(ctx.organizationId)),

  add: projectProcedure("admin")
    .input(z.object({ email: z.email("email must be an email address"), role }))
    .mutation(({ ctx, input }) => addMember(ctx.organizationId, input.email, input.role)),

  setRole: projectProcedure("admin")
    .input(z.object({ userId: z.string().min(1, "userId is required"), role }))
    .mutation(async ({ ctx, input }) => {
      await setMemberRole(ctx.organizationId, input.userId, input.role);
      return { ok: true as const };
    }),

  remove: projectProcedure("admin")
    .input(z.object({ userId: z.string().min(1, "userId is required") }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId === ctx.user.id) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "You cannot remove yourself; ask another admin",
        });
      }
      await removeMember(ctx.organizationId, input.userId);
      return { ok: true as const };
    }),
});
