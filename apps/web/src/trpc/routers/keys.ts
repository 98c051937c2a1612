import { z } from "zod";
import { createApiKey, listApiKeys, revokeApiKey } from "../../domain/keys/api-keys.ts";
import { projectProcedure, router } from "../init.ts";

export const keysRouter = router({
  list: projectProcedure("admin").query(({ ctx }) => listApiKeys(ctx.projectId)),

  /** The secret is in this response once; it is never stored or returned again. */
  create: projectProcedure("admin")
    .input(
      z.object({
        name: z.string().trim().min(1, "name is required").max(80, "name is at most 80 characters"),
        scope: z.enum(["ingest", "read", "admin"], "scope must be ingest, read or admin"),
      }),
    )
    .mutation(({ ctx, input }) =>
      createApiKey({
        projectId: ctx.projectId,
        name: input.name,
        scope: input.scope,
        createdByUserId: ctx.user.id,
      }),
    ),

  revoke: projectProcedure("admin")
    .input(z.object({ keyId: z.uuid("keyId must be a key id") }))
    .mutation(({ ctx, input }) => revokeApiKey(ctx.projectId, input.keyId)),
});
