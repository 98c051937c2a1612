import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ServiceName } from "../env.ts";
import type { Command } from "../services/service.ts";

// The shop's service instances as child processes, each started the zero-code way
// (`node --import @vigil/agent/register`). An instance that exits on its own is started again,
// as a process supervisor would; one stopped by the "kill an instance" switch stays down until
// the switch is turned off.

const demoRoot = fileURLToPath(new URL("../..", import.meta.url));
// What each service reports as its version (shown in the registry and on the service pages).
const VERSIONS: Record<ServiceName, string> = {
  gateway: "2.4.1",
  users: "1.12.0",
  products: "3.0.2",
  orders: "1.7.5",
  payments: "0.9.3",
};
const entry = fileURLToPath(new URL("../instance.ts", import.meta.url));

export class ServiceInstance {
  #child: ChildProcess | null = null;
  #pending = new Map<number, (result: unknown) => void>();
  #nextId = 0;
  #wanted = false;

  readonly service: ServiceName;
  readonly id: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #log: (line: string) => void;

  constructor(
    service: ServiceName,
    id: string,
    env: NodeJS.ProcessEnv,
    log: (line: string) => void,
  ) {
    this.service = service;
    this.id = id;
    this.#env = env;
    this.#log = log;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  /** Starts the process and resolves once it serves. */
  start(): Promise<void> {
    this.#wanted = true;
    const child = fork(entry, [], {
      cwd: demoRoot,
      execArgv: ["--import", "@vigil/agent/register"],
      env: {
        ...this.#env,
        OTEL_SERVICE_NAME: this.service,
        OTEL_RESOURCE_ATTRIBUTES: `service.version=${VERSIONS[this.service]},deployment.environment.name=demo`,
        VIGIL_INSTANCE_ID: this.id,
        VIGIL_ADDRESS: "127.0.0.1",
        VIGIL_HEARTBEAT_INTERVAL_MS: "2000",
        OTEL_METRIC_EXPORT_INTERVAL: "5000",
        VIGIL_TRACES_PER_SECOND: "25",
      },
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.#child = child;
    const ready = new Promise<void>((resolve, reject) => {
      child.on("message", (message: { ready?: boolean; id?: number; result?: unknown }) => {
        if (message.ready) resolve();
        else if (message.id !== undefined) {
          this.#pending.get(message.id)?.(message.result);
          this.#pending.delete(message.id);
        }
      });
      child.once("exit", (code, signal) => {
        reject(new Error(`${this.id} exited while starting (${signal ?? `code ${code}`})`));
      });
    });
    child.once("exit", (code, signal) => {
      if (this.#child !== child) return;
      this.#child = null;
      for (const settle of this.#pending.values()) settle({ error: `${this.id} exited` });
      this.#pending.clear();
      if (this.#wanted) {
        this.#log(`${this.id} exited (${signal ?? `code ${code}`}); starting it again`);
        setTimeout(() => {
          if (this.#wanted && !this.#child) this.start().catch(() => {});
        }, 1_000).unref();
      }
    });
    return ready;
  }

  /** Sends an incident command; resolves with the instance's answer (or an error when down). */
  command(command: Command): Promise<unknown> {
    const child = this.#child;
    if (!child?.connected) return Promise.resolve({ error: `${this.id} is not running` });
    const id = this.#nextId++;
    return new Promise((resolve) => {
      this.#pending.set(id, resolve);
      child.send({ id, command });
    });
  }

  /** SIGKILL: no flush, no deregistration, so the registry sees the heartbeats stop. */
  kill(): void {
    this.#wanted = false;
    this.#child?.kill("SIGKILL");
  }

  /** SIGTERM and wait: the agent flushes and deregisters. */
  async stop(): Promise<void> {
    this.#wanted = false;
    const child = this.#child;
    if (!child) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    const timer = setTimeout(() => child.kill("SIGKILL"), 8_000);
    await exited;
    clearTimeout(timer);
  }
}
