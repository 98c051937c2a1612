import { formatSeconds } from "@/domain/alerting/format.ts";
import type { TimeWindow } from "@/domain/overview/time-range.ts";

/**
 * Says so when rates cover only part of the range: data began inside it, and a rate per second
 * over the whole range would read far too low.
 */
export function CoverageNote({ seconds, window }: { seconds: number; window: TimeWindow }) {
  const whole = (Math.min(window.nowMs, window.toMs) - window.fromMs) / 1000;
  if (whole - seconds <= window.stepMs / 1000) return null;
  return (
    <p className="text-xs text-zinc-500" role="note">
      Data began inside this range: rates are per second over the last{" "}
      {formatSeconds(Math.round(seconds))} that have data, not the whole range.
    </p>
  );
}
