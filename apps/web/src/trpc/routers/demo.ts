import { demoStatus, incidentInput, setIncident } from "../../demo/fleet-client.ts";
import { projectProcedure, router } from "../init.ts";

export const demoRouter = router({
  /** null unless this project is the running demo fleet's. */
  status: projectProcedure("viewer").query(({ ctx }) => demoStatus(ctx.projectId)),
  set: projectProcedure("editor")
    .input(incidentInput)
    .mutation(({ ctx, input }) => setIncident(ctx.projectId, input)),
});
