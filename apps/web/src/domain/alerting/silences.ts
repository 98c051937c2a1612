import { db } from "@vigil/db";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { parseInput } from "../telemetry/query-params.ts";
import { matchesAll, parseMatcher } from "./matchers.ts";
import { matcherList } from "./routing.ts";

// Silences: matchers, a start and an end, who made it and why. Expiring one ends it now.

export const silenceInput = z
  .object({
    matchers: matcherList.min(1, "a silence needs at least one matcher"),
    startsAt: z.coerce.date({ error: "startsAt must be a time" }).optional(),
    endsAt: z.coerce.date({ error: "endsAt must be a time" }),
    comment: z.string().trim().max(2000).default(""),
  })
  .superRefine((silence, context) => {
    if (silence.endsAt.getTime() <= (silence.startsAt ?? new Date()).getTime())
      context.addIssue({
        code: "custom",
        path: ["endsAt"],
        message: "endsAt must be after startsAt (and in the future)",
      });
    const matchers = silence.matchers.flatMap((text) => {
      try {
        return [parseMatcher(text)];
      } catch {
        return [];
      }
    });
    if (matchers.length === silence.matchers.length && matchesAll(matchers, {}))
      context.addIssue({
        code: "custom",
        path: ["matchers"],
        message: "these matchers would silence every alert; add one that needs a label value",
      });
  });

function view(row: {
  id: string;
  matchers: unknown;
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  comment: string;
  createdAt: Date;
  provisioned: boolean;
}) {
  const now = Date.now();
  return {
    ...row,
    matchers: row.matchers as string[],
    state:
      row.endsAt.getTime() <= now ? "expired" : row.startsAt.getTime() > now ? "pending" : "active",
  };
}
export type SilenceView = ReturnType<typeof view>;

export async function listSilences(projectId: string): Promise<SilenceView[]> {
  const rows = await db().prisma.alertSilence.findMany({
    where: { projectId, endsAt: { gt: new Date(Date.now() - 7 * 86_400_000) } },
    orderBy: { endsAt: "desc" },
  });
  return rows.map(view);
}

export async function createSilence(
  projectId: string,
  input: unknown,
  createdBy: string,
  provisioned = false,
) {
  const silence = parseInput(silenceInput, input);
  const row = await db().prisma.alertSilence.create({
    data: {
      projectId,
      matchers: silence.matchers,
      startsAt: silence.startsAt ?? new Date(),
      endsAt: silence.endsAt,
      comment: silence.comment,
      createdBy,
      provisioned,
    },
  });
  return view(row);
}

export async function expireSilence(projectId: string, id: string): Promise<SilenceView> {
  const row = z.uuid().safeParse(id).success
    ? await db().prisma.alertSilence.findUnique({ where: { projectId_id: { projectId, id } } })
    : null;
  if (!row) throw new DomainError("NOT_FOUND", "No such silence in this project");
  const now = new Date();
  const updated = await db().prisma.alertSilence.update({
    where: { projectId_id: { projectId, id } },
    data: {
      endsAt: row.endsAt < now ? row.endsAt : now,
      startsAt: row.startsAt > now ? now : row.startsAt,
    },
  });
  return view(updated);
}
