import { z } from "zod";
import { DomainError } from "../domain/errors.ts";
import { demoFleet } from "../server/runtime.ts";

// The control plane's side of the Demo panel: it reads and flips the fleet's incident switches
// through the fleet's own API on 127.0.0.1 (the browser never talks to the fleet).

export const incidentNames = [
  "replica-paused",
  "cache-flush",
  "hot-tenant",
  "slow-service",
  "kill-instance",
  "strategy",
] as const;

export const incidentInput = z.object({
  name: z.enum(incidentNames, `name must be one of ${incidentNames.join(", ")}`),
  on: z.boolean().optional(),
  service: z.string().max(40).optional(),
  instance: z.string().max(60).optional(),
  value: z.string().max(40).optional(),
});

export type FleetStatus = {
  incidents: {
    replicaPaused: boolean;
    hotTenant: boolean;
    slowService: string | null;
    killedInstance: string | null;
    lastFlushAt: string | null;
    strategy: "round-robin" | "least-connections";
  };
  instances: { id: string; service: string; running: boolean }[];
  gateway: {
    instance: string;
    upstreams: Record<
      string,
      { strategy: string; instances: string[]; sent: Record<string, number> }
    >;
  } | null;
  requestsSent: number;
  alertsReceived: {
    receivedAt: string;
    webhookId: string;
    status: string;
    alerts: { name: string; status: string; summary: string }[];
  }[];
};

function fleetFor(projectId: string) {
  const fleet = demoFleet();
  return fleet && fleet.projectId === projectId ? fleet : null;
}

/** The fleet's state when this project is the running demo's, else null (no Demo panel). */
export async function demoStatus(projectId: string): Promise<FleetStatus | null> {
  const fleet = fleetFor(projectId);
  if (!fleet) return null;
  const response = await fetch(`${fleet.controlUrl}/status`, {
    signal: AbortSignal.timeout(5_000),
  });
  if (!response.ok) throw new Error(`the demo fleet answered ${response.status}`);
  return (await response.json()) as FleetStatus;
}

export async function setIncident(
  projectId: string,
  input: z.infer<typeof incidentInput>,
): Promise<FleetStatus> {
  const fleet = fleetFor(projectId);
  if (!fleet) throw new DomainError("NOT_FOUND", "The demo fleet is not running for this project");
  const { name, ...body } = input;
  const response = await fetch(`${fleet.controlUrl}/incidents/${name}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const answer = (await response.json().catch(() => null)) as
    | (FleetStatus & { error?: string })
    | null;
  if (response.status === 400) throw new DomainError("BAD_REQUEST", answer?.error ?? "refused");
  if (!response.ok || !answer)
    throw new Error(`the demo fleet answered ${response.status}: ${answer?.error ?? ""}`);
  return answer;
}
