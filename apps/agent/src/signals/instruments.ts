import {
  type Attributes,
  type Counter,
  type Gauge,
  type Meter,
  type MeterProvider,
  metrics,
} from "@opentelemetry/api";

const SCOPE = "@vigil/agent";
let instruments = new Map<string, Counter | Gauge>();
let owner: MeterProvider | undefined;
let meter: Meter | undefined;

/**
 * An instrument by kind and name, created once per meter: the running agent's meter, else the
 * global no-op one (so signals recorded before `startVigil` cost nothing and go nowhere).
 */
function instrument<T extends Counter | Gauge>(key: string, create: (meter: Meter) => T): T {
  // Per record only the global provider is looked up; the meter is fetched when it changes.
  const provider = metrics.getMeterProvider();
  if (provider !== owner) {
    owner = provider;
    meter = provider.getMeter(SCOPE);
    instruments = new Map();
  }
  let found = instruments.get(key) as T | undefined;
  if (!found) {
    found = create(meter as Meter);
    instruments.set(key, found);
  }
  return found;
}

export const counter = (name: string, unit = "1"): Counter =>
  instrument(`counter:${name}`, (meter) => meter.createCounter(name, { unit }));

export const gauge = (name: string, unit = "1"): Gauge =>
  instrument(`gauge:${name}`, (meter) => meter.createGauge(name, { unit }));

export type { Attributes };
