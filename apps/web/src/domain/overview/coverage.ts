import { db } from "@vigil/db";
import { serviceDataStarts } from "@vigil/db/telemetry";
import { NS_PER_MS, nsWindow, type TimeWindow } from "./time-range.ts";

/** The part of a window that holds a service's data, for rates per second. */
export type Coverage = {
  /** Seconds from the service's first data in the window (or the window's start) to its end. */
  seconds(service: string): number;
  /** Whether some service's data covers only part of the window (the UI says so). */
  partial: boolean;
  /** The shortest coverage, in seconds. */
  shortestSeconds: number;
};

/**
 * Rates divide by the time a service has data in the window, not the whole window: a demo that
 * started five minutes ago does 14 requests a second, not 14 × 5 / 60, on "Last hour".
 */
export async function coverageOf(projectId: string, window: TimeWindow): Promise<Coverage> {
  const starts = await serviceDataStarts(db().reads(), projectId, nsWindow(window));
  const endMs = Math.min(window.nowMs, window.toMs);
  const whole = Math.max(1, (endMs - window.fromMs) / 1000);
  const byService = new Map<string, number>();
  for (const { service, firstNs } of starts) {
    const fromMs = Math.max(window.fromMs, Number(BigInt(firstNs) / NS_PER_MS));
    const seconds = Math.max(1, (endMs - fromMs) / 1000);
    // One service may run in several environments: the longest coverage is its own.
    byService.set(service, Math.max(byService.get(service) ?? 0, seconds));
  }
  const shortestSeconds = Math.min(whole, ...byService.values());
  return {
    seconds: (service) => byService.get(service) ?? whole,
    // Less than the window by more than a step: the data began inside the range.
    partial: whole - shortestSeconds > window.stepMs / 1000,
    shortestSeconds,
  };
}
