import type { Instance } from "./discovery.ts";

// Client-side load balancing over the instances discovery returns: round-robin, or the instance
// with the fewest requests in flight (least-connections). The strategy can change at any time.

export type Strategy = "round-robin" | "least-connections";

export class Balancer {
  #next = 0;
  readonly #inFlight = new Map<string, number>();

  readonly #instances: () => readonly Instance[];
  strategy: Strategy;

  constructor(instances: () => readonly Instance[], strategy: Strategy = "round-robin") {
    this.#instances = instances;
    this.strategy = strategy;
  }

  /** The instance the next request goes to; null when none is passing. */
  pick(): Instance | null {
    const candidates = this.#instances();
    if (candidates.length === 0) return null;
    if (this.strategy === "least-connections") {
      let best = candidates[0] as Instance;
      for (const candidate of candidates)
        if (this.inFlight(candidate.id) < this.inFlight(best.id)) best = candidate;
      return best;
    }
    const chosen = candidates[this.#next % candidates.length] as Instance;
    this.#next = (this.#next + 1) % Number.MAX_SAFE_INTEGER;
    return chosen;
  }

  inFlight(id: string): number {
    return this.#inFlight.get(id) ?? 0;
  }

  /** Counts the request against its instance until it settles. */
  async send<T>(instance: Instance, request: (instance: Instance) => Promise<T>): Promise<T> {
    this.#inFlight.set(instance.id, this.inFlight(instance.id) + 1);
    try {
      return await request(instance);
    } finally {
      this.#inFlight.set(instance.id, this.inFlight(instance.id) - 1);
    }
  }
}
