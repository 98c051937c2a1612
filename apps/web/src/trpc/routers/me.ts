import { authedProcedure, router } from "../init.ts";

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => ctx.user),
});
