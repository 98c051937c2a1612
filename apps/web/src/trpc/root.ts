import { createCallerFactory, router } from "./init.ts";
import { alertingRouter } from "./routers/alerting.ts";
import { dashboardsRouter } from "./routers/dashboards.ts";
import { demoRouter } from "./routers/demo.ts";
import { keysRouter } from "./routers/keys.ts";
import { meRouter } from "./routers/me.ts";
import { membersRouter } from "./routers/members.ts";
import { projectsRouter } from "./routers/projects.ts";
import { registryRouter } from "./routers/registry.ts";
import { telemetryRouter } from "./routers/telemetry.ts";

export const appRouter = router({
  me: meRouter,
  projects: projectsRouter,
  keys: keysRouter,
  members: membersRouter,
  telemetry: telemetryRouter,
  registry: registryRouter,
  dashboards: dashboardsRouter,
  alerting: alertingRouter,
  demo: demoRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
