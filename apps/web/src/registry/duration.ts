/** A Consul/Go duration such as "10s", "1m30s", "500ms" or "2h", in milliseconds; null if malformed. */
export function parseDuration(text: unknown): number | null {
  if (typeof text !== "string" || text.trim() === "") return null;
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const parts = [...text.trim().matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map((part) => part[0]).join("") !== text.trim()) return null;
  return Math.round(
    parts.reduce((total, part) => total + Number(part[1]) * (units[part[2] as string] ?? 0), 0),
  );
}
