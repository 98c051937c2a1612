import type { FleetStatus } from "@/demo/fleet-client.ts";

type Incidents = FleetStatus["incidents"];

/** One switch of the Demo panel: what it breaks, how it shows, and where to look. */
export type Switch = {
  name: "replica-paused" | "cache-flush" | "hot-tenant" | "slow-service" | "kill-instance";
  title: string;
  breaks: string;
  shows: string;
  look: { label: string; path: string };
  /** null for a one-shot action (the flush). */
  isOn: ((incidents: Incidents) => boolean) | null;
  onLabel: string;
  offLabel: string;
};

export const switches: Switch[] = [
  {
    name: "replica-paused",
    title: "Pause replica replay",
    breaks: "The products replica stops applying the primary's WAL while writes go on.",
    shows: "Replica lag climbs a second per second; ReplicaLagging fires past 1 s.",
    look: { label: "Overview → Replica lag", path: "" },
    isOn: (incidents) => incidents.replicaPaused,
    onLabel: "Pause replay",
    offLabel: "Resume replay",
  },
  {
    name: "cache-flush",
    title: "Flush the cache",
    breaks: "Every users profile cache is emptied at once.",
    shows: "The users cache hit rate drops, then recovers as the cache refills.",
    look: { label: "Overview → Cache hit rate", path: "" },
    isOn: null,
    onLabel: "Flush now",
    offLabel: "",
  },
  {
    name: "hot-tenant",
    title: "Hot tenant",
    breaks: "Tenant acme runs a flash sale, and its orders are all sent to shard orders-a.",
    shows: "Shard skew rises past 1.5 within half a minute; ShardHot fires.",
    look: { label: "Overview → Shard balance", path: "" },
    isOn: (incidents) => incidents.hotTenant,
    onLabel: "Start the sale",
    offLabel: "End the sale",
  },
  {
    name: "slow-service",
    title: "Slow down products",
    breaks: "Every request to the product service waits 0.4–2 s.",
    shows: "products' p95 latency rises; the gateway cuts calls off after 1 s, so its errors rise.",
    look: { label: "Services → products", path: "/services/products" },
    isOn: (incidents) => incidents.slowService !== null,
    onLabel: "Slow it down",
    offLabel: "Back to normal",
  },
  {
    name: "kill-instance",
    title: "Kill an instance",
    breaks: "users-2 is killed (SIGKILL): no goodbye, its heartbeats just stop.",
    shows: "It turns critical in the registry within 6 s and the gateway stops sending to it.",
    look: { label: "Registry", path: "/registry" },
    isOn: (incidents) => incidents.killedInstance !== null,
    onLabel: "Kill users-2",
    offLabel: "Start it again",
  },
];
