import type { WriteSeries } from "../testing/remote-write.ts";

// Two hours of generated Prometheus data at 15 s for the differential test: counters with resets,
// gauges, classic histograms, several label sets, a series that ends with a staleness marker, one
// with a gap, and scrapes that are not aligned to the minute.

const STEP_MS = 15_000;

/** A small deterministic generator (the same data every run). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

const TARGETS = [
  { job: "api", instance: "a:9100", offsetMs: 0 },
  { job: "api", instance: "b:9100", offsetMs: 3_700 },
  { job: "web", instance: "c:9100", offsetMs: 0 },
  { job: "web", instance: "d:9100", offsetMs: 11_250 },
];

export function generateSeries(startMs: number, endMs: number): WriteSeries[] {
  const next = random(42);
  const out: WriteSeries[] = [];
  const times = (offsetMs: number) => {
    const list: number[] = [];
    for (let t = startMs + offsetMs; t <= endMs; t += STEP_MS) list.push(t);
    return list;
  };
  for (const [k, target] of TARGETS.entries()) {
    const ts = times(target.offsetMs);
    for (const method of ["GET", "POST"]) {
      let total = k * 1000;
      // The b and d targets restart (their counters reset) part-way.
      const resetAt =
        target.offsetMs > 0 ? ts[Math.floor(ts.length * (method === "GET" ? 0.4 : 0.7))] : -1;
      out.push({
        labels: { __name__: "http_requests_total", ...jobOf(target), method },
        samples: ts.map((t) => {
          total =
            t === resetAt
              ? Math.floor(next() * 5)
              : total + Math.floor(next() * (method === "GET" ? 40 : 7));
          return [t, total];
        }),
      });
    }
    for (const room of ["x", "y"]) {
      const phase = k + (room === "y" ? 0.5 : 0);
      out.push({
        labels: { __name__: "temperature_celsius", ...jobOf(target), room },
        samples: ts.map((t) => [
          t,
          20 + 3 * Math.sin((t - startMs) / 600_000 + phase) + Math.round(next() * 100) / 100,
        ]),
      });
    }
    // A classic histogram: cumulative bucket counts, _sum and _count, reset with the counters.
    const bounds = ["0.1", "0.5", "1", "+Inf"];
    const counts = [0, 0, 0, 0];
    let sum = 0;
    const resetAt = target.offsetMs > 0 ? ts[Math.floor(ts.length * 0.55)] : -1;
    const rows = ts.map((t) => {
      if (t === resetAt) {
        counts.fill(0);
        sum = 0;
      }
      const observations = Math.floor(next() * 20);
      for (let i = 0; i < observations; i++) {
        const value = next() ** 2 * 1.5;
        sum += value;
        for (let b = 0; b < bounds.length; b++)
          if (b === bounds.length - 1 || value <= Number(bounds[b]))
            counts[b] = (counts[b] as number) + 1;
      }
      return { t, counts: [...counts], sum };
    });
    for (const [b, le] of bounds.entries())
      out.push({
        labels: { __name__: "request_duration_seconds_bucket", ...jobOf(target), le },
        samples: rows.map((r) => [r.t, r.counts[b] as number]),
      });
    out.push({
      labels: { __name__: "request_duration_seconds_sum", ...jobOf(target) },
      samples: rows.map((r) => [r.t, r.sum]),
    });
    out.push({
      labels: { __name__: "request_duration_seconds_count", ...jobOf(target) },
      samples: rows.map((r) => [r.t, r.counts[3] as number]),
    });
  }
  // A worker whose queue series ends 40 minutes before the end (a staleness marker), and one
  // whose `up` has a 12-minute gap (no marker: lookback carries its last value 5 minutes).
  const worker = { job: "worker", instance: "w:9100" };
  const workerTimes = times(0);
  const endOfQueue = endMs - 40 * 60_000;
  out.push({
    labels: { __name__: "queue_depth", ...worker },
    samples: [
      ...workerTimes
        .filter((t) => t < endOfQueue)
        .map((t): [number, number] => [t, Math.floor(next() * 50)]),
      [endOfQueue, "stale"],
    ],
  });
  const gapFrom = startMs + 50 * 60_000;
  const gapTo = gapFrom + 12 * 60_000;
  out.push({
    labels: { __name__: "up", ...worker },
    samples: workerTimes.filter((t) => t < gapFrom || t >= gapTo).map((t) => [t, 1]),
  });
  return out;
}

function jobOf(target: { job: string; instance: string }) {
  return { job: target.job, instance: target.instance };
}

/** The same series cut into time slices, oldest first (a TSDB head takes samples in order). */
export function timeSlices(
  series: WriteSeries[],
  startMs: number,
  endMs: number,
  sliceMs: number,
): WriteSeries[][] {
  const slices: WriteSeries[][] = [];
  for (let from = startMs; from <= endMs; from += sliceMs) {
    slices.push(
      series
        .map((s) => ({
          labels: s.labels,
          samples: s.samples.filter(([t]) => t >= from && t < from + sliceMs),
        }))
        .filter((s) => s.samples.length > 0),
    );
  }
  return slices;
}
