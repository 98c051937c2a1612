/**
 * A duration as Prometheus and Go write it — "10s", "1m30s", "500ms", "2h", "1d", "2w", "1y" (a
 * day is 24 h, a week 7 days, a year 365 days) and Go's fractions and small units ("1.5s",
 * "250us") — in milliseconds; null if malformed. The one parser for every duration Vigil reads.
 */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== "string" || text.trim() === "") return null;
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d|w|y)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text.trim()) return null;
  return Math.round(
    parts.reduce((total, part) => total + Number(part[1]) * (units[part[2] as Unit] ?? 0), 0),
  );
}

const DAY = 86_400_000;
const units = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: DAY,
  w: 7 * DAY,
  y: 365 * DAY,
};
type Unit = keyof typeof units;
