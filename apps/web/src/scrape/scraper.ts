// Scraping as Prometheus does it: each target on its own interval with a total deadline (a slow
// or hostile target only delays its own scrape), the exposed samples stamped with the scrape's
// start, labelled with job and instance (an exposed label of those names kept as exported_*),
// `up`, `scrape_duration_seconds` and `scrape_samples_scraped` beside them, and a staleness
// marker for every series a target stopped exposing (all of them when the scrape fails).
// Samples are stored through the same path as remote write.
import { type PromLabel, type PromSeries, writeRequestToMetrics } from "@vigil/otel";
import type { Logger } from "pino";
import { ingestMetrics } from "../ingest/metrics.ts";
import { outboundRequest } from "../net/outbound.ts";
import { type ExposedSample, parseExposition } from "./exposition.ts";
import type { ScrapeTarget } from "./targets.ts";

/** The most bytes one scrape may answer (node_exporter's are ~100 kB). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;

type TargetState = {
  nextAt: number;
  running: boolean;
  exposed: Map<string, PromLabel[]>;
  lastError: string;
};

export type ScrapeOutcome = { up: boolean; samples: number; error: string };

function labelsOf(
  target: ScrapeTarget,
  name: string,
  exposed: Record<string, string>,
): PromLabel[] {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(exposed)) labels[key] = value;
  for (const [key, value] of Object.entries({
    ...target.labels,
    job: target.job,
    instance: target.instance,
  })) {
    if (key in labels && labels[key] !== value) labels[`exported_${key}`] = labels[key] as string;
    labels[key] = value;
  }
  labels.__name__ = name;
  return Object.entries(labels)
    .filter(([, value]) => value !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

const keyOf = (labels: PromLabel[]) => labels.map(([n, v]) => `${n}\u00ff${v}`).join("\u00fe");

export class Scraper {
  readonly #states = new Map<string, TargetState>();
  readonly #log: () => Logger;

  constructor(log: () => Logger) {
    this.#log = log;
  }

  /** Starts the scrapes that are due; each runs on its own. Targets gone from the list are forgotten. */
  startDue(targets: ScrapeTarget[], now: number, signal: AbortSignal): Promise<ScrapeOutcome>[] {
    const keys = new Set(targets.map((t) => t.key));
    for (const key of this.#states.keys()) if (!keys.has(key)) this.#states.delete(key);
    const started: Promise<ScrapeOutcome>[] = [];
    for (const target of targets) {
      let state = this.#states.get(target.key);
      if (!state) {
        // The first scrape of a target is spread over its interval, as Prometheus spreads them.
        state = {
          nextAt: now + (hash(target.key) % target.intervalMs),
          running: false,
          exposed: new Map(),
          lastError: "",
        };
        this.#states.set(target.key, state);
      }
      if (state.running || now < state.nextAt) continue;
      state.running = true;
      state.nextAt = now + target.intervalMs;
      const run = this.scrape(target, state, now, signal).finally(() => {
        state.running = false;
      });
      started.push(run);
    }
    return started;
  }

  /** The last error of each target (empty when its last scrape worked), for the UI and tests. */
  health(): Map<string, string> {
    return new Map([...this.#states].map(([key, state]) => [key, state.lastError]));
  }

  private async scrape(
    target: ScrapeTarget,
    state: TargetState,
    startedAt: number,
    signal: AbortSignal,
  ): Promise<ScrapeOutcome> {
    const clock = performance.now();
    let samples: ExposedSample[] = [];
    let error = "";
    try {
      const response = await outboundRequest(target.url, {
        headers: {
          accept: "text/plain;version=0.0.4;q=1,*/*;q=0.1",
          "x-prometheus-scrape-timeout-seconds": String(target.timeoutMs / 1000),
          "user-agent": "Vigil/scraper",
        },
        timeoutMs: target.timeoutMs,
        policy: target.policy,
        signal,
        maxBodyBytes: MAX_BODY_BYTES,
      });
      if (response.status !== 200)
        throw new Error(`server returned HTTP status ${response.status}`);
      samples = parseExposition(
        (response.body as Buffer).toString("utf8"),
        target.sampleLimit,
      ).samples;
    } catch (caught) {
      error = (caught as Error).message;
      samples = [];
    }
    const seconds = (performance.now() - clock) / 1000;
    const series = new Map<string, PromSeries>();
    const add = (labels: PromLabel[], t: number, value: number | "stale") => {
      const key = keyOf(labels);
      const known = series.get(key);
      const sample =
        value === "stale"
          ? { timestampMs: t, value: Number.NaN, stale: true }
          : { timestampMs: t, value, stale: false };
      if (known) known.samples.push(sample);
      else series.set(key, { labels, samples: [sample] });
    };
    for (const s of samples)
      add(labelsOf(target, s.name, s.labels), s.timestampMs ?? startedAt, s.value);
    const exposed = new Map([...series].map(([key, s]) => [key, s.labels]));
    for (const [key, labels] of state.exposed)
      if (!exposed.has(key)) add(labels, startedAt, "stale");
    state.exposed = exposed;
    add(labelsOf(target, "up", {}), startedAt, error ? 0 : 1);
    add(labelsOf(target, "scrape_duration_seconds", {}), startedAt, seconds);
    add(labelsOf(target, "scrape_samples_scraped", {}), startedAt, samples.length);
    state.lastError = error;
    if (error)
      this.#log().debug({ target: target.url, job: target.job, err: error }, "scrape failed");
    try {
      await ingestMetrics(
        target.projectId,
        writeRequestToMetrics({ series: [...series.values()], metadata: [] }),
      );
    } catch (caught) {
      this.#log().warn(
        { target: target.url, job: target.job, err: caught },
        "scraped samples could not be stored",
      );
    }
    return { up: !error, samples: samples.length, error };
  }
}

function hash(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) >>> 0;
  return h;
}
