const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A date as operators read it, in their own time zone. */
export function formatWhen(date: Date): string {
  return formatter.format(date);
}

/** Requests a second, readable at a glance: 0.00028/s, 0.033/s, 4.2/s, 1,250/s. */
export function formatRate(perSecond: number): string {
  if (perSecond === 0) return "0/s";
  if (perSecond < 0.1) return `${Number(perSecond.toPrecision(2))}/s`;
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`;
  return `${Math.round(perSecond).toLocaleString("en")}/s`;
}

/** A share as a percentage: 0.0523 → "5.2 %". */
export function formatPercent(share: number | null, digits = 1): string {
  return share === null ? "—" : `${(share * 100).toFixed(digits)} %`;
}

/** Milliseconds: 0.4 ms, 25 ms, 1.2 s. */
export function formatMs(ms: number | null): string {
  if (ms === null) return "—";
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`;
  return `${ms >= 10 ? Math.round(ms) : ms.toFixed(1)} ms`;
}

/** Bytes: 512 B, 48 KiB, 3.1 MiB. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/**
 * A metric value in its unit (UCUM, as OpenTelemetry sends it): bytes, seconds as durations,
 * ratios ("1") as percentages, anything else as a compact number (1.2M).
 */
export function formatMetricValue(value: number, unit: string): string {
  if (unit === "By") return formatBytes(value);
  if (unit === "s") return formatMs(value * 1000);
  if (unit === "ms") return formatMs(value);
  if (unit === "1") return formatPercent(value);
  return Math.abs(value) >= 10_000
    ? value.toLocaleString("en", { notation: "compact", maximumFractionDigits: 1 })
    : value.toLocaleString("en", { maximumFractionDigits: 3 });
}
