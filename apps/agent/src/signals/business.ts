import { type Attributes, counter, gauge } from "./instruments.ts";

const NAME = /^[A-Za-z][A-Za-z0-9_.-]{0,99}$/;
const warned = new Set<string>();

/** `signups` → `business.signups`; null (with one warning per name) for an unusable name. */
function metricName(name: string): string | null {
  const bare = name.startsWith("business.") ? name.slice("business.".length) : name;
  if (NAME.test(bare)) return `business.${bare}`;
  if (!warned.has(name)) {
    warned.add(name);
    process.emitWarning(
      `[vigil] business metric ${JSON.stringify(name)} ignored: use letters, digits, "_", "." or "-"`,
    );
  }
  return null;
}

/** Business metrics, all under `business.`: counts, amounts and levels the dashboard charts. */
export const business = {
  /** Counts events, e.g. `count("signups")` or `count("orders", 3, { plan: "pro" })`. */
  count(name: string, by = 1, attributes?: Attributes): void {
    const metric = metricName(name);
    if (metric && by >= 0) counter(metric).add(by, attributes);
  },
  /** Adds an amount, e.g. `add("revenue", 42.5, { currency: "EUR" })`; negative amounts are ignored. */
  add(name: string, amount: number, attributes?: Attributes): void {
    const metric = metricName(name);
    if (metric && amount >= 0) counter(metric).add(amount, attributes);
  },
  /** Records a current level, e.g. `gauge("active_carts", 118)`. */
  gauge(name: string, value: number, attributes?: Attributes): void {
    const metric = metricName(name);
    if (metric && Number.isFinite(value)) gauge(metric).record(value, attributes);
  },
};
