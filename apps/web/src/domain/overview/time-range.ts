/** The overview's time ranges, as they appear in the URL (`?range=1h`). */
export const RANGES = {
  "15m": 15 * 60_000,
  "1h": 60 * 60_000,
  "6h": 6 * 60 * 60_000,
  "24h": 24 * 60 * 60_000,
  "7d": 7 * 24 * 60 * 60_000,
} as const;
export type RangeKey = keyof typeof RANGES;
export const DEFAULT_RANGE: RangeKey = "1h";

/** About 30 points per sparkline, on whole seconds. */
const STEPS = 30;

export type TimeWindow = {
  fromMs: number;
  /** The end of the last step (a little after `nowMs`). */
  toMs: number;
  /** When the window was taken: rates count up to here. */
  nowMs: number;
  stepMs: number;
  range: RangeKey;
};

/** The window a `range` search parameter names, ending now; unknown values mean the default. */
export function windowFor(range: string | undefined, nowMs = Date.now()): TimeWindow {
  const key = (range && range in RANGES ? range : DEFAULT_RANGE) as RangeKey;
  const span = RANGES[key];
  const stepMs = Math.max(10_000, Math.ceil(span / STEPS / 1000) * 1000);
  // Aligned to the step, so the same URL shows the same buckets as time moves within a step.
  const toMs = Math.ceil(nowMs / stepMs) * stepMs;
  return { fromMs: toMs - span, toMs, nowMs, stepMs, range: key };
}

export const NS_PER_MS = 1_000_000n;

/** The window in Unix nanoseconds, as the telemetry queries take it. */
export function nsWindow(window: TimeWindow): { fromNs: bigint; toNs: bigint } {
  return { fromNs: BigInt(window.fromMs) * NS_PER_MS, toNs: BigInt(window.toMs) * NS_PER_MS };
}
