import type { DemoConfig } from "../env.ts";
import type { Route } from "../platform/http.ts";

/** A command from the fleet to one instance (the incident switches), over the IPC channel. */
export type Command =
  | { type: "slow"; on: boolean }
  | { type: "flush-cache" }
  | { type: "hot-tenant"; on: boolean }
  | { type: "strategy"; value: "round-robin" | "least-connections" }
  | { type: "status" };

/** What a service is made of: its routes, how it obeys commands, and how it stops. */
export type ServiceParts = {
  routes: Route[];
  control?(command: Command): Promise<unknown>;
  stop(): Promise<void>;
};

export type ServiceFactory = (config: DemoConfig, instance: string) => Promise<ServiceParts>;

/** The stream OrderPlaced events go to (prefixed: Redis may be shared with other apps). */
export const ORDERS_STREAM = "demo:orders";

/**
 * How long one service waits for another before answering 504: long enough that a busy two-core
 * machine (the fleet, Vigil and a browser) stays error-free, short enough that the "slow a
 * service" incident (0.4–3 s per request) shows as 504s too.
 */
export const CALL_TIMEOUT_MS = 2_500;

/** A tenant per user: acme, the biggest customer, has half of them. */
export const TENANTS = ["acme", "globex", "initech", "umbrella"] as const;
export function tenantOf(userId: number): string {
  return userId % 2 === 0 ? "acme" : (TENANTS[1 + (userId % 3)] as string);
}
