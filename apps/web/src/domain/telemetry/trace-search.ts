import { db } from "@vigil/db";
import { noteSearchedKeys, searchTraces } from "@vigil/db/telemetry";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import {
  attributeFilters,
  describeIssues,
  nsToIso,
  timeParam,
  window,
  withAttributeFilters,
} from "./query-params.ts";

const statuses = { unset: 0, ok: 1, error: 2 } as const;

export const traceSearchSchema = z.object({
  service: z.string().trim().min(1).optional(),
  operation: z.string().trim().min(1).max(1000, "operation is at most 1,000 characters").optional(),
  where: attributeFilters,
  from: timeParam("from").optional(),
  to: timeParam("to").optional(),
  minDurationMs: z.coerce
    .number({ error: "minDurationMs must be a number of milliseconds" })
    .min(0, "minDurationMs must be ≥ 0")
    .optional(),
  status: z.enum(["unset", "ok", "error"], "status must be unset, ok or error").optional(),
  limit: z.coerce
    .number({ error: "limit must be a whole number" })
    .int("limit must be a whole number")
    .min(1, "limit must be 1–1000")
    .max(1000, "limit must be 1–1000")
    .default(20),
});

/** The search's parameters: `attr.<key>=<value>` ones are span attribute filters. */
export type TraceSearchInput = Record<string, string | undefined>;

/** The most recent traces of a project with a span matching the filters. */
export async function findTraces(projectId: string, input: TraceSearchInput) {
  const parsed = traceSearchSchema.safeParse(withAttributeFilters(input));
  if (!parsed.success) throw new DomainError("BAD_REQUEST", describeIssues(parsed.error));
  const { fromNs, toNs } = window(parsed.data.from, parsed.data.to);
  if (toNs <= fromNs) throw new DomainError("BAD_REQUEST", "to must be after from");
  // The keys searched by are noted on the primary, and their values indexed from then on.
  const keys = Object.keys(parsed.data.where ?? {});
  const keysIndexedSince = await noteSearchedKeys(db().pool, projectId, keys);
  const traces = await searchTraces(db().reads(), projectId, {
    fromNs,
    toNs,
    service: parsed.data.service,
    operation: parsed.data.operation,
    attributes: parsed.data.where,
    minDurationNs:
      parsed.data.minDurationMs === undefined
        ? undefined
        : BigInt(Math.round(parsed.data.minDurationMs * 1e6)),
    statusCode: parsed.data.status === undefined ? undefined : statuses[parsed.data.status],
    limit: parsed.data.limit,
    keysIndexedSince,
  });
  return {
    traces: traces.map((trace) => ({
      traceId: trace.traceId,
      rootService: trace.rootService,
      rootName: trace.rootName,
      startTime: nsToIso(trace.startNs),
      startTimeUnixNano: trace.startNs,
      durationMs: Number(BigInt(trace.endNs) - BigInt(trace.startNs)) / 1e6,
      spanCount: trace.spanCount,
      errorCount: trace.errorCount,
    })),
  };
}
