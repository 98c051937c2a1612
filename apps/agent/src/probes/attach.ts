import type { Meter } from "@opentelemetry/api";

/** Adds a probe's instruments to a meter; returns how to take them off again. */
export type ProbeAttach = (meter: Meter) => () => void;

export type Probe = {
  /** Stops reading; the service's client is left as it was. */
  stop(): void;
};

type Entry = { attach: ProbeAttach; detach: (() => void) | null };
const probes = new Set<Entry>();
let current: Meter | null = null;

/**
 * Keeps a probe until it is stopped: attached to the running agent's meter now, or when an agent
 * starts, so probes can be set up before or after `startVigil`.
 */
export function addProbe(attach: ProbeAttach): Probe {
  const entry: Entry = { attach, detach: current ? attach(current) : null };
  probes.add(entry);
  return {
    stop() {
      entry.detach?.();
      probes.delete(entry);
    },
  };
}

export function attachProbes(meter: Meter): void {
  current = meter;
  for (const entry of probes) entry.detach = entry.attach(meter);
}

export function detachProbes(): void {
  current = null;
  for (const entry of probes) {
    entry.detach?.();
    entry.detach = null;
  }
}

/** Runs a probe's read with a time limit; a failed or slow read reports nothing this round. */
export async function withinTime<T>(read: Promise<T>, ms = 5_000): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([read, timeout]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}
