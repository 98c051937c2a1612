import { Balancer, type Strategy } from "./balancer.ts";
import { Discovery } from "./discovery.ts";
import { callJson, HttpError } from "./http.ts";

// A service another service calls: its passing instances from discovery, a balancer over them,
// and per-instance counts of what was sent (the gateway reports them to the incident panel).

export type Upstream = {
  call<T>(path: string, options?: { method?: string; body?: unknown }): Promise<T>;
  setStrategy(strategy: Strategy): void;
  /** Passing instances and how many requests each got. */
  status(): { strategy: Strategy; instances: string[]; sent: Record<string, number> };
  stop(): void;
};

export async function upstream(options: {
  endpoint: string;
  token: string;
  service: string;
  timeoutMs: number;
}): Promise<Upstream> {
  const discovery = new Discovery({ ...options, waitSeconds: 20 });
  await discovery.refresh().catch(() => {});
  discovery.watch();
  const balancer = new Balancer(() => discovery.instances());
  const sent: Record<string, number> = {};

  return {
    async call<T>(path: string, request: { method?: string; body?: unknown } = {}) {
      // A connection refused (an instance that died before the registry noticed) is tried once
      // more on another instance; any answer, even an error, is final.
      for (let attempt = 0; ; attempt++) {
        if (discovery.instances().length === 0) await discovery.whenAny(options.timeoutMs);
        const instance = balancer.pick();
        if (!instance) throw new HttpError(503, `no passing ${options.service} instance`);
        sent[instance.id] = (sent[instance.id] ?? 0) + 1;
        try {
          return await balancer.send(instance, (target) =>
            callJson<T>(`http://${target.address}:${target.port}${path}`, {
              ...request,
              timeoutMs: options.timeoutMs,
            }),
          );
        } catch (error) {
          if (error instanceof HttpError) throw error;
          if (error instanceof Error && error.name === "TimeoutError")
            throw new HttpError(
              504,
              `${options.service} did not answer in ${options.timeoutMs} ms`,
            );
          if (attempt >= 1) throw new HttpError(502, `${options.service} is unreachable`);
        }
      }
    },
    setStrategy(strategy) {
      balancer.strategy = strategy;
    },
    status() {
      return {
        strategy: balancer.strategy,
        instances: discovery.instances().map((instance) => instance.id),
        sent: { ...sent },
      };
    },
    stop() {
      discovery.stop();
    },
  };
}
