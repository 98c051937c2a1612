import { db, Prisma } from "@vigil/db";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { parseInput } from "../telemetry/query-params.ts";
import {
  defaultRoute,
  type InhibitRuleInput,
  inhibitRuleInput,
  type RouteInput,
  receiversIn,
  routeInput,
} from "./routing.ts";
import { DEFAULT_INHIBIT_RULES } from "./suppression.ts";

// A project's routing tree and inhibit rules; without its own, the defaults apply.

export const routingInput = z.object({
  route: routeInput.nullable().default(null),
  inhibitRules: z.array(inhibitRuleInput).max(100).nullable().default(null),
});
export type RoutingInput = z.input<typeof routingInput>;

export type Routing = {
  route: RouteInput;
  inhibitRules: InhibitRuleInput[];
  /** Which parts are the project's own rather than the defaults. */
  custom: { route: boolean; inhibitRules: boolean };
};

export async function routingOf(projectId: string): Promise<Routing> {
  const [config, receivers] = await Promise.all([
    db().prisma.alertConfig.findUnique({ where: { projectId } }),
    db().prisma.alertReceiver.findMany({
      where: { projectId },
      select: { name: true },
      orderBy: { name: "asc" },
    }),
  ]);
  const route = config?.route ? (config.route as RouteInput) : null;
  const inhibitRules = config?.inhibitRules ? (config.inhibitRules as InhibitRuleInput[]) : null;
  return {
    route: route ?? defaultRoute(receivers.map((receiver) => receiver.name)),
    inhibitRules: inhibitRules ?? DEFAULT_INHIBIT_RULES,
    custom: { route: route !== null, inhibitRules: inhibitRules !== null },
  };
}

/** Replaces the routing tree and inhibit rules (null: back to the defaults). */
export async function setRouting(projectId: string, input: unknown, provisioned = false) {
  const { route, inhibitRules } = parseInput(routingInput, input);
  if (route) {
    const known = new Set(
      (
        await db().prisma.alertReceiver.findMany({ where: { projectId }, select: { name: true } })
      ).map((receiver) => receiver.name),
    );
    const unknown = receiversIn(route).filter((name) => !known.has(name));
    if (unknown.length > 0)
      throw new DomainError(
        "BAD_REQUEST",
        `route names receivers this project does not have: ${[...new Set(unknown)].join(", ")}`,
      );
  }
  const data = {
    route: route ?? Prisma.DbNull,
    inhibitRules: inhibitRules ?? Prisma.DbNull,
    provisioned,
    updatedAt: new Date(),
  };
  await db().prisma.alertConfig.upsert({
    where: { projectId },
    create: { projectId, ...data },
    update: data,
  });
  return routingOf(projectId);
}
