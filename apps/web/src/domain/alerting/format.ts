// How alerting shows durations and values; pure, so the UI can use it too.

/** A value as rules show it: up to six significant digits, no exponent for everyday sizes. */
export function formatValue(value: number | null): string {
  if (value === null) return "no data";
  if (Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}

export function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0 && seconds > 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0 && seconds > 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
