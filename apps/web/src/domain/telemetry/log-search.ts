import { db } from "@vigil/db";
import { searchLogs } from "@vigil/db/telemetry";
import { z } from "zod";
import { DomainError } from "../errors.ts";
import { describeIssues, nsToIso, timeParam, window } from "./query-params.ts";

// OpenTelemetry severity ranges: TRACE 1–4, DEBUG 5–8, INFO 9–12, WARN 13–16, ERROR 17–20, FATAL 21–24.
const severityFloor = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 } as const;

export const logSearchSchema = z.object({
  service: z.string().trim().min(1).optional(),
  from: timeParam("from").optional(),
  to: timeParam("to").optional(),
  severity: z
    .enum(
      ["trace", "debug", "info", "warn", "error", "fatal"],
      "severity must be trace, debug, info, warn, error or fatal (the least severity shown)",
    )
    .optional(),
  traceId: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{32}$/, "traceId must be 32 hex characters")
    .optional(),
  q: z
    .string()
    .trim()
    .min(1, "q must not be empty")
    .max(200, "q is at most 200 characters")
    .optional(),
  limit: z.coerce
    .number({ error: "limit must be a whole number" })
    .int("limit must be a whole number")
    .min(1, "limit must be 1–1000")
    .max(1000, "limit must be 1–1000")
    .default(100),
});

export type LogSearchInput = z.input<typeof logSearchSchema>;

/** The most recent log records of a project matching the filters, newest first. */
export async function findLogs(projectId: string, input: LogSearchInput) {
  const parsed = logSearchSchema.safeParse(input);
  if (!parsed.success) throw new DomainError("BAD_REQUEST", describeIssues(parsed.error));
  const { fromNs, toNs } = window(parsed.data.from, parsed.data.to);
  if (toNs <= fromNs) throw new DomainError("BAD_REQUEST", "to must be after from");
  const logs = await searchLogs(db().reads(), projectId, {
    fromNs,
    toNs,
    service: parsed.data.service,
    minSeverity:
      parsed.data.severity === undefined ? undefined : severityFloor[parsed.data.severity],
    traceId: parsed.data.traceId?.toLowerCase(),
    text: parsed.data.q,
    limit: parsed.data.limit,
  });
  return {
    logs: logs.map((log) => ({
      time: nsToIso(log.timeNs),
      timeUnixNano: log.timeNs,
      observedTimeUnixNano: log.observedNs,
      severityNumber: log.severityNumber,
      severityText: log.severityText,
      body: log.body,
      attributes: log.attributes,
      traceId: log.traceId,
      spanId: log.spanId,
      flags: log.flags,
      eventName: log.eventName,
      service: {
        name: log.service,
        environment: log.environment,
        instance: log.instance,
        version: log.version,
      },
      resource: log.resource,
      scope: { name: log.scopeName, version: log.scopeVersion },
    })),
  };
}
