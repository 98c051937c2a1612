// An alert's life: inactive → pending (held for `for`) → firing → resolved; keep_firing_for
// holds it firing for a while after its condition clears.

export type AlertState = "pending" | "firing" | "resolved";

export type Tracked = {
  state: AlertState;
  activeSince: number;
  firedAt: number | null;
  lastTrueAt: number;
  resolvedAt: number | null;
};

export type Timing = { forMs: number; keepFiringForMs: number };

/**
 * The next state of one alert given whether its condition holds now; null means inactive (a
 * pending alert whose condition cleared leaves no trace but its history).
 */
export function nextState(
  previous: Tracked | null,
  holds: boolean,
  now: number,
  timing: Timing,
): Tracked | null {
  const live = previous && previous.state !== "resolved" ? previous : null;
  if (holds) {
    const activeSince = live?.activeSince ?? now;
    if (live?.state === "firing") return { ...live, lastTrueAt: now };
    const fires = now - activeSince >= timing.forMs;
    return {
      state: fires ? "firing" : "pending",
      activeSince,
      firedAt: fires ? now : null,
      lastTrueAt: now,
      resolvedAt: null,
    };
  }
  if (!live) return previous;
  if (live.state === "pending") return null;
  if (now - live.lastTrueAt < timing.keepFiringForMs) return live;
  return { ...live, state: "resolved", resolvedAt: now };
}
