import { Backoff } from "../backoff.ts";
import type { AgentSettings } from "../config.ts";
import type { Problems } from "../problems.ts";
import { callControlPlane } from "./control-plane.ts";
import { LoadMeter, listeningPort, onFirstListen } from "./load.ts";

export type HealthStatus = "passing" | "warning" | "critical";

/** Heartbeats between two sends of an unchanged registration (the control plane ignores a same one). */
const RESYNC_HEARTBEATS = 10;

/**
 * This instance's entry in the registry: registered on start (again when the control plane has
 * forgotten it), kept alive by TTL heartbeats that carry the service's own health and its load,
 * and deregistered on stop. An unreachable control plane is retried with backoff; nothing here
 * throws or waits on the service.
 */
export class Registration {
  readonly #settings: AgentSettings;
  readonly #problems: Problems;
  readonly #load = new LoadMeter();
  readonly #backoff: Backoff;
  readonly #stopListening: () => void;
  readonly #checkId: string;
  #port: number;
  #registered = false;
  #registeredAt = 0;
  /** The registration changed (its port became known): register again. */
  #stale = false;
  /** Something asked for a round while one was running: run another right after. */
  #again = false;
  #health: { status: HealthStatus; output: string } = { status: "passing", output: "" };
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
  #stopped = false;

  constructor(settings: AgentSettings, problems: Problems) {
    this.#settings = settings;
    this.#problems = problems;
    this.#port = settings.port ?? 0;
    this.#checkId = `service:${settings.instanceId}`;
    this.#backoff = new Backoff(Math.min(1_000, settings.heartbeatIntervalMs), 30_000);
    this.#stopListening =
      settings.port === undefined
        ? onFirstListen((port) => {
            this.#port = port;
            this.#stale = true;
            this.#kick();
          })
        : () => {};
  }

  start(): void {
    this.#kick();
  }

  /** The service's own view of its health, sent now and with every heartbeat. */
  setHealth(status: HealthStatus, output = ""): void {
    if (this.#health.status === status && this.#health.output === output) return;
    this.#health = { status, output };
    this.#kick();
  }

  /** Stops heartbeating and removes the instance from the registry (waits at most 2 s). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#stopListening();
    this.#load.close();
    await this.#running;
    if (!this.#registered) return;
    const id = encodeURIComponent(this.#settings.instanceId);
    await this.#call("PUT", `/v1/agent/service/deregister/${id}`, undefined, 2_000);
  }

  /** Runs a registry round now (unless one is running) and schedules the next. */
  #kick(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#running = this.#round().then((ok) => {
      this.#running = null;
      if (this.#stopped) return;
      const again = this.#again && ok;
      this.#again = false;
      const delay = again ? 0 : ok ? this.#settings.heartbeatIntervalMs : this.#backoff.next();
      if (ok) this.#backoff.reset();
      this.#timer = setTimeout(() => this.#kick(), delay);
      this.#timer.unref();
    });
  }

  async #round(): Promise<boolean> {
    // A listen the channel did not report (the service listened before the agent started).
    const found = this.#port === 0 ? listeningPort() : undefined;
    if (found) {
      this.#port = found;
      this.#stale = true;
    }
    // Anti-entropy, as a Consul agent syncs: the registration is sent again now and then, so a
    // stale one (an earlier request that the control plane finished after a later one) heals.
    const resyncMs = RESYNC_HEARTBEATS * this.#settings.heartbeatIntervalMs;
    if (this.#registered && Date.now() - this.#registeredAt > resyncMs) this.#stale = true;
    if (!this.#registered || this.#stale) {
      this.#stale = false;
      if (!(await this.#register())) {
        this.#stale = this.#registered;
        return false;
      }
      this.#registered = true;
      this.#registeredAt = Date.now();
    }
    const check = this.#check();
    const status = await this.#call(
      "PUT",
      `/v1/agent/check/update/${encodeURIComponent(this.#checkId)}`,
      { Status: check.status, Output: check.output, Load: this.#load.read() },
    );
    // 404: the control plane no longer knows the instance (it was removed while critical).
    if (status === 404) this.#registered = false;
    return status === 200;
  }

  /**
   * What the TTL check says: the service's own health once its port is known; until then
   * critical, so discovery never hands out an address nobody can connect to.
   */
  #check(): { status: HealthStatus; output: string } {
    if (this.#port !== 0) return this.#health;
    return {
      status: "critical",
      output:
        "waiting for the service to listen: no port is known yet (set VIGIL_PORT if it listens on one the agent cannot see)",
    };
  }

  async #register(): Promise<boolean> {
    const s = this.#settings;
    const check = this.#check();
    const ttlSeconds = Math.max(1, Math.ceil((s.heartbeatIntervalMs * 3) / 1000));
    const status = await this.#call("PUT", "/v1/agent/service/register", {
      ID: s.instanceId,
      Name: s.service,
      Tags: s.tags,
      Address: s.address,
      Port: this.#port,
      Meta: { ...s.meta, ...(s.version ? { version: s.version } : {}) },
      Check: {
        CheckID: this.#checkId,
        // Starts as the service says it is (Consul's default for a new TTL check is critical).
        Status: check.status,
        Notes: check.output,
        TTL: `${ttlSeconds}s`,
        DeregisterCriticalServiceAfter: s.deregisterCriticalAfter,
      },
    });
    return status === 200;
  }

  async #call(method: "PUT", path: string, body?: unknown, timeoutMs?: number): Promise<number> {
    const { status, body: text } = await callControlPlane(
      this.#settings.endpoint,
      this.#settings.key,
      method,
      path,
      body,
      timeoutMs,
    );
    if (status === 200 || status === 404) this.#problems.clear();
    else this.#problems.failed(status, text);
    return status;
  }
}
