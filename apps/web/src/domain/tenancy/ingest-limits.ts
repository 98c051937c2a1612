import { db, LruCache } from "@vigil/db";
import { z } from "zod";
import { parseInput } from "../telemetry/query-params.ts";

// How much a project may send at once, so one sender cannot create unbounded series: distinct
// series in one request, and new series per minute. Points beyond them are refused one by one
// (OTLP partial success) and counted in /metrics.

export const DEFAULT_INGEST_LIMITS = { seriesPerRequest: 20_000, newSeriesPerMinute: 50_000 };
export type IngestLimits = typeof DEFAULT_INGEST_LIMITS;

const count = (name: string, max: number) =>
  z
    .number(`${name} must be a number`)
    .int(`${name} must be a whole number`)
    .min(1, `${name} must be 1–${max.toLocaleString("en")}`)
    .max(max, `${name} must be 1–${max.toLocaleString("en")}`);

export const ingestLimitsInput = z.object({
  seriesPerRequest: count("seriesPerRequest", 1_000_000).optional(),
  newSeriesPerMinute: count("newSeriesPerMinute", 10_000_000).optional(),
});

// Ingest reads the limits on every metrics request: kept for a few seconds per process.
const CACHE_MS = 5000;
const cached = new LruCache<string, { limits: IngestLimits; at: number }>(10_000);

/** The project's limits: its own where it set them, the defaults elsewhere. */
export async function ingestLimitsOf(projectId: string, nowMs = Date.now()): Promise<IngestLimits> {
  const hit = cached.get(projectId);
  if (hit && nowMs - hit.at < CACHE_MS) return hit.limits;
  const project = await db().prisma.project.findUnique({
    where: { id: projectId },
    select: { ingestLimits: true },
  });
  const own = ingestLimitsInput.safeParse(project?.ingestLimits ?? {});
  const limits = { ...DEFAULT_INGEST_LIMITS, ...(own.success ? own.data : {}) };
  cached.set(projectId, { limits, at: nowMs });
  return limits;
}

/** Sets some of the project's limits (the others keep theirs); returns them all. */
export async function setIngestLimits(projectId: string, input: unknown): Promise<IngestLimits> {
  const parsed = parseInput(ingestLimitsInput, input);
  cached.delete(projectId);
  const current = await ingestLimitsOf(projectId);
  await db().prisma.project.update({
    where: { id: projectId },
    data: { ingestLimits: { ...current, ...parsed } },
  });
  cached.delete(projectId);
  return ingestLimitsOf(projectId);
}
