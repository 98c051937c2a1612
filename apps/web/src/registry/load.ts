import { db } from "@vigil/db";
import { recordLoad } from "@vigil/db/registry";
import { DomainError } from "../domain/errors.ts";

/**
 * Vigil's extension to check updates: `"Load": {"InFlight": 12, "CPU": 0.4}` beside Status and
 * Output. Discovery answers carry it in Service.Meta, so client-side balancers can pick the
 * least-loaded instance with any Consul client.
 */
export async function reportLoad(projectId: string, checkId: string, raw: unknown): Promise<void> {
  const load = raw && typeof raw === "object" ? (raw as Record<string, unknown>) : null;
  const inFlight = load?.InFlight;
  const cpu = load?.CPU;
  const valid = (value: unknown) =>
    value === undefined || (typeof value === "number" && Number.isFinite(value) && value >= 0);
  if (!load || !valid(inFlight) || !valid(cpu)) {
    throw new DomainError(
      "BAD_REQUEST",
      'Load must be an object like {"InFlight": 12, "CPU": 0.4} with non-negative numbers',
    );
  }
  await recordLoad(db().pool, projectId, checkId, {
    inFlight: inFlight as number | undefined,
    cpu: cpu as number | undefined,
  });
}

/** The stored load as Consul Service.Meta entries (Meta values are strings in Consul). */
export function loadMeta(load: unknown): Record<string, string> {
  if (!load || typeof load !== "object") return {};
  const { inFlight, cpu, updatedAt } = load as {
    inFlight?: number;
    cpu?: number;
    updatedAt?: string;
  };
  return {
    ...(inFlight === undefined ? {} : { "vigil.load.inflight": String(inFlight) }),
    ...(cpu === undefined ? {} : { "vigil.load.cpu": String(cpu) }),
    ...(updatedAt ? { "vigil.load.updated": updatedAt } : {}),
  };
}
