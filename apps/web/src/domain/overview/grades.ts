import { db } from "@vigil/db";
import { z } from "zod";
import { DomainError } from "../errors.ts";

/** How a signal reads against its thresholds. */
export type Grade = "good" | "warning" | "bad" | "unknown";

type Limits = { warning: number; bad: number };
export type Thresholds = {
  /** Cache hit rate below these is a warning / bad (0–1). */
  cacheHitRate: Limits;
  /** Replica lag in seconds above these. */
  replicaLagSeconds: Limits;
  /** Shard skew (max ÷ mean) above these. */
  shardSkew: Limits;
  /** Error rate above these (0–1). */
  errorRate: Limits;
};

/** The defaults, for every project that has not set its own. */
export const THRESHOLDS: Thresholds = {
  cacheHitRate: { warning: 0.8, bad: 0.5 },
  replicaLagSeconds: { warning: 5, bad: 30 },
  shardSkew: { warning: 1.5, bad: 3 },
  errorRate: { warning: 0.01, bad: 0.05 },
};

const limits = (direction: "above" | "below", [low, high]: [number, number]) => {
  const bound = z
    .number({ error: "must be a number" })
    .min(low, `must be ${low}–${high}`)
    .max(high, `must be ${low}–${high}`);
  return z
    .object({ warning: bound, bad: bound })
    .refine(
      (l) => (direction === "above" ? l.warning < l.bad : l.warning > l.bad),
      direction === "above"
        ? "warning must be below bad (values above them are worse)"
        : "warning must be above bad (values below them are worse)",
    );
};

export const thresholdsInput = z.object({
  cacheHitRate: limits("below", [0, 1]).optional(),
  replicaLagSeconds: limits("above", [0, 86_400]).optional(),
  shardSkew: limits("above", [1, 1000]).optional(),
  errorRate: limits("above", [0, 1]).optional(),
});

/** The project's thresholds: its own where it set them, the defaults elsewhere. */
export async function thresholdsOf(projectId: string): Promise<Thresholds> {
  const project = await db().prisma.project.findUnique({
    where: { id: projectId },
    select: { thresholds: true },
  });
  const own = thresholdsInput.safeParse(project?.thresholds ?? {});
  return { ...THRESHOLDS, ...(own.success ? own.data : {}) };
}

/** Sets some of the project's thresholds (the others keep theirs); returns them all. */
export async function setThresholds(projectId: string, input: unknown): Promise<Thresholds> {
  const parsed = thresholdsInput.safeParse(input);
  if (!parsed.success) {
    throw new DomainError(
      "BAD_REQUEST",
      parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "),
    );
  }
  const current = await thresholdsOf(projectId);
  await db().prisma.project.update({
    where: { id: projectId },
    data: { thresholds: { ...current, ...parsed.data } },
  });
  return thresholdsOf(projectId);
}

export function gradeAbove(value: number | null, limits: Limits): Grade {
  if (value === null) return "unknown";
  return value > limits.bad ? "bad" : value > limits.warning ? "warning" : "good";
}

export function gradeBelow(value: number | null, limits: Limits): Grade {
  if (value === null) return "unknown";
  return value < limits.bad ? "bad" : value < limits.warning ? "warning" : "good";
}
