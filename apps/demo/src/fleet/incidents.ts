import pg from "pg";
import { databaseUrl, SERVICES, type ServiceName } from "../env.ts";
import type { ServiceInstance } from "./instances.ts";
import type { Traffic } from "./traffic.ts";

// The incident switches: each breaks one thing the way it breaks in production, so the signal
// an operator watches moves — replica lag, cache hit rate, shard skew, latency and errors, an
// instance's health.

export const INCIDENTS = [
  "replica-paused",
  "cache-flush",
  "hot-tenant",
  "slow-service",
  "kill-instance",
] as const;
export type IncidentName = (typeof INCIDENTS)[number];

export type IncidentState = {
  replicaPaused: boolean;
  hotTenant: boolean;
  /** The service whose requests are slowed, or null. */
  slowService: ServiceName | null;
  /** The instance that was killed, or null. */
  killedInstance: string | null;
  lastFlushAt: string | null;
  strategy: "round-robin" | "least-connections";
};

export class IncidentError extends Error {}

export class Incidents {
  readonly state: IncidentState = {
    replicaPaused: false,
    hotTenant: false,
    slowService: null,
    killedInstance: null,
    lastFlushAt: null,
    strategy: "round-robin",
  };

  readonly #instances: ServiceInstance[];
  readonly #traffic: Traffic;
  readonly #replicaUrl: string;

  constructor(instances: ServiceInstance[], traffic: Traffic, replicaUrl: string) {
    this.#instances = instances;
    this.#traffic = traffic;
    this.#replicaUrl = replicaUrl;
  }

  #of(service: ServiceName) {
    return this.#instances.filter((instance) => instance.service === service);
  }

  async #broadcast(service: ServiceName, command: Parameters<ServiceInstance["command"]>[0]) {
    return Promise.all(this.#of(service).map((instance) => instance.command(command)));
  }

  /** Turns an incident on or off (a flush just happens); throws IncidentError for bad input. */
  async set(
    name: string,
    input: { on?: unknown; service?: unknown; instance?: unknown; value?: unknown },
  ) {
    const on = input.on === undefined ? true : input.on;
    if (typeof on !== "boolean") throw new IncidentError("on must be true or false");
    switch (name) {
      case "replica-paused":
        await this.#replay(on);
        this.state.replicaPaused = on;
        return;
      case "cache-flush":
        await this.#broadcast("users", { type: "flush-cache" });
        this.state.lastFlushAt = new Date().toISOString();
        return;
      case "hot-tenant":
        await this.#broadcast("orders", { type: "hot-tenant", on });
        this.#traffic.hotTenant = on;
        this.state.hotTenant = on;
        return;
      case "slow-service": {
        const service = input.service ?? this.state.slowService ?? "products";
        if (!SERVICES.includes(service as ServiceName))
          throw new IncidentError(`service must be one of ${SERVICES.join(", ")}`);
        if (this.state.slowService && this.state.slowService !== service)
          await this.#broadcast(this.state.slowService, { type: "slow", on: false });
        await this.#broadcast(service as ServiceName, { type: "slow", on });
        this.state.slowService = on ? (service as ServiceName) : null;
        return;
      }
      case "kill-instance":
        return this.#kill(on, input.instance);
      case "strategy": {
        const value = input.value;
        if (value !== "round-robin" && value !== "least-connections")
          throw new IncidentError("strategy must be round-robin or least-connections");
        await this.#broadcast("gateway", { type: "strategy", value });
        this.state.strategy = value;
        return;
      }
      default:
        throw new IncidentError(`no incident named ${name}; try ${INCIDENTS.join(", ")}`);
    }
  }

  async #kill(on: boolean, requested: unknown) {
    if (on) {
      if (this.state.killedInstance) return;
      const id = requested ?? "users-2";
      const target = this.#instances.find((instance) => instance.id === id);
      if (!target) throw new IncidentError(`no instance named ${String(id)}`);
      target.kill();
      this.state.killedInstance = target.id;
      return;
    }
    const target = this.#instances.find((instance) => instance.id === this.state.killedInstance);
    this.state.killedInstance = null;
    if (target && !target.running) await target.start();
  }

  async #replay(pause: boolean) {
    const client = new pg.Client({ connectionString: databaseUrl(this.#replicaUrl, "postgres") });
    await client.connect();
    try {
      await client.query(pause ? "SELECT pg_wal_replay_pause()" : "SELECT pg_wal_replay_resume()");
    } finally {
      await client.end();
    }
  }

  /** Puts everything back as it was (the fleet is stopping, or the operator asked). */
  async reset() {
    if (this.state.replicaPaused) await this.set("replica-paused", { on: false }).catch(() => {});
  }
}
