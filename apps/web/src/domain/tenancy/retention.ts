import { db } from "@vigil/db";
import { DEFAULT_RETENTION_DAYS } from "@vigil/db/telemetry";

export const signals = ["traces", "metrics", "logs"] as const;
export type Signal = (typeof signals)[number];

/** Days of raw data the project keeps per signal. */
export async function retentionOf(projectId: string): Promise<Record<Signal, number>> {
  const policies = await db().prisma.retentionPolicy.findMany({ where: { projectId } });
  const days = Object.fromEntries(
    signals.map((signal) => [signal, DEFAULT_RETENTION_DAYS]),
  ) as Record<Signal, number>;
  for (const policy of policies) days[policy.signal as Signal] = policy.days;
  return days;
}

export async function setRetention(
  projectId: string,
  signal: Signal,
  days: number,
): Promise<Record<Signal, number>> {
  await db().prisma.retentionPolicy.upsert({
    where: { projectId_signal: { projectId, signal } },
    update: { days },
    create: { projectId, signal, days },
  });
  return retentionOf(projectId);
}
