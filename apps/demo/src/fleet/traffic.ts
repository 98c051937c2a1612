import type { Upstream } from "../platform/upstream.ts";
import { tenantOf } from "../services/service.ts";

// Shoppers: a steady, gently breathing stream of requests to the gateway — mostly browsing,
// some profile views, a few sign-ups and orders. Popular users and products are popular (a
// skewed pick), which is what makes a cache worth having.

const BASE_PER_SECOND = 14;
const MAX_IN_FLIGHT = 60;
// Shoppers who come back: profile reads and orders go to the first 200 of the 500 seeded users.
const REGULARS = 200;

/** A skewed pick from 1..n: low numbers are more likely, the more so the higher `skew`. */
function popular(n: number, skew = 3): number {
  return Math.min(n, 1 + Math.floor(n * Math.random() ** skew));
}

export type Traffic = { hotTenant: boolean; stop(): void; sent: () => number };

/** Shoppers sending requests through `gateway`, from the moment `begin` resolves until stop(). */
export function startTraffic(gateway: Upstream, begin: Promise<unknown>): Traffic {
  let inFlight = 0;
  let sent = 0;
  let signups = 0;
  const state = { hotTenant: false };

  const fire = (path: string, body?: unknown) => {
    if (inFlight >= MAX_IN_FLIGHT) return;
    inFlight++;
    sent++;
    gateway
      .call(path, body === undefined ? {} : { method: "POST", body })
      .catch(() => {}) // errors are the point of some incidents; Vigil records them
      .finally(() => {
        inFlight--;
      });
  };
  // Orders come from many shoppers (a mild skew), so the shards stay even until a tenant runs hot.
  const order = (userId: number) =>
    fire("/api/orders", {
      userId,
      productId: popular(40),
      quantity: 1 + Math.floor(Math.random() * 3),
    });

  const tick = () => {
    // A slow five-minute swell of ±30 %, plus noise.
    const phase = (Date.now() / 300_000) * 2 * Math.PI;
    const rate = BASE_PER_SECOND * (1 + 0.3 * Math.sin(phase)) * (0.85 + Math.random() * 0.3);
    const count = Math.round(rate / 4);
    const requests: (() => void)[] = [];
    for (let i = 0; i < count; i++) {
      const roll = Math.random();
      if (roll < 0.45) requests.push(() => fire("/api/products"));
      else if (roll < 0.6) requests.push(() => fire(`/api/products/${popular(40)}`));
      else if (roll < 0.78) requests.push(() => fire(`/api/users/${popular(REGULARS)}`));
      else if (roll < 0.82)
        requests.push(() => fire("/api/signup", { name: `shopper ${++signups}` }));
      else requests.push(() => order(popular(REGULARS, 1.2)));
    }
    // The hot tenant: acme runs a flash sale, tripling its orders.
    if (state.hotTenant)
      for (let i = 0; i < Math.round(count * 0.4); i++) {
        const user = 2 * popular(REGULARS / 2, 1.2);
        if (tenantOf(user) === "acme") requests.push(() => order(user));
      }
    // In random order: when the shop is slow and MAX_IN_FLIGHT turns requests away, every kind
    // loses its share alike. (Sent in the order made, the sale's orders came last and were the
    // ones turned away on a loaded machine, and the shards hardly skewed.)
    for (let i = requests.length - 1; i > 0; i--) {
      const j = Math.floor(Math.random() * (i + 1));
      [requests[i], requests[j]] = [requests[j] as () => void, requests[i] as () => void];
    }
    for (const request of requests) request();
  };
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  void begin.then(() => {
    if (!stopped) timer = setInterval(tick, 250);
  });

  return {
    get hotTenant() {
      return state.hotTenant;
    },
    set hotTenant(on: boolean) {
      state.hotTenant = on;
    },
    stop: () => {
      stopped = true;
      clearInterval(timer);
    },
    sent: () => sent,
  };
}
