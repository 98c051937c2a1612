/** The preset time ranges, as they appear in the URL (`?range=1h`). */
export const RANGES = {
  "15m": 15 * 60_000,
  "1h": 60 * 60_000,
  "6h": 6 * 60 * 60_000,
  "24h": 24 * 60 * 60_000,
  "7d": 7 * 24 * 60 * 60_000,
} as const;
export type RangeKey = keyof typeof RANGES;
export const DEFAULT_RANGE: RangeKey = "1h";
/** The longest custom range (`?from=&to=`). */
export const MAX_CUSTOM_MS = 90 * 24 * 60 * 60_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/**
 * Steps a chart may use. Whole minutes and hours, so charts read minute or hour rollups; about
 * 30 of them per range keeps sparklines readable.
 */
const NICE_STEPS = [
  10_000,
  30_000,
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  24 * HOUR,
];
const STEPS = 30;

export type TimeWindow = {
  fromMs: number;
  /** The end of the last step (a little after `nowMs` for a preset). */
  toMs: number;
  /** When the window was taken: rates count up to here. */
  nowMs: number;
  stepMs: number;
  /** The preset, or "custom" for `?from=&to=`. */
  range: RangeKey | "custom";
};

/** The smallest nice step that cuts `spanMs` into at most about 30 steps. */
export function stepFor(spanMs: number): number {
  return NICE_STEPS.find((step) => spanMs / step <= STEPS) ?? (NICE_STEPS.at(-1) as number);
}

/** The window a `range` search parameter names, ending now; unknown values mean the default. */
export function windowFor(range: string | undefined, nowMs = Date.now()): TimeWindow {
  const key = (range && range in RANGES ? range : DEFAULT_RANGE) as RangeKey;
  const span = RANGES[key];
  const stepMs = stepFor(span);
  // Aligned to the step, so the same URL shows the same buckets as time moves within a step.
  const toMs = Math.ceil(nowMs / stepMs) * stepMs;
  return { fromMs: toMs - span, toMs, nowMs, stepMs, range: key };
}

/** A time as Unix milliseconds or a date string (`2026-11-23T10:00`, RFC 3339); NaN otherwise. */
function parseTime(value: string): number {
  if (/^\d{1,15}$/.test(value)) return Number(value);
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) ? Date.parse(value) : Number.NaN;
}

/**
 * The window of a page's search parameters: `from` and `to` (a custom range, widened to whole
 * steps) when both are valid, else the `range` preset. A custom range that cannot be used says why.
 */
export function windowFromSearch(
  search: { range?: string; from?: string; to?: string },
  nowMs = Date.now(),
): { window: TimeWindow; problem: string | null } {
  if (!search.from && !search.to) return { window: windowFor(search.range, nowMs), problem: null };
  const fromMs = parseTime(search.from ?? "");
  const toMs = parseTime(search.to ?? "");
  const problem = Number.isNaN(fromMs)
    ? "from must be a date and time (2026-11-23T10:00) or Unix milliseconds"
    : Number.isNaN(toMs)
      ? "to must be a date and time (2026-11-23T10:00) or Unix milliseconds"
      : toMs <= fromMs
        ? "the custom range must end after it starts"
        : toMs - fromMs > MAX_CUSTOM_MS
          ? "a custom range is at most 90 days"
          : null;
  if (problem) return { window: windowFor(search.range, nowMs), problem };
  const stepMs = stepFor(toMs - fromMs);
  return {
    window: {
      fromMs: Math.floor(fromMs / stepMs) * stepMs,
      toMs: Math.ceil(toMs / stepMs) * stepMs,
      nowMs,
      stepMs,
      range: "custom",
    },
    problem: null,
  };
}

/** The search parameters that reproduce a window: its preset, or its custom from and to. */
export function rangeParams(window: TimeWindow): Record<string, string> {
  return window.range === "custom"
    ? { from: String(window.fromMs), to: String(window.toMs) }
    : { range: window.range };
}

export const NS_PER_MS = 1_000_000n;

/** The window in Unix nanoseconds, as the telemetry queries take it. */
export function nsWindow(window: TimeWindow): { fromNs: bigint; toNs: bigint } {
  return { fromNs: BigInt(window.fromMs) * NS_PER_MS, toNs: BigInt(window.toMs) * NS_PER_MS };
}
