import { copyJson, copyText, NULL } from "./copy-text.ts";

export type ExpBuckets = { offset: number; bucketCounts: number[] };
export type ExpHistogram = {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positive: ExpBuckets;
  negative: ExpBuckets;
};

/**
 * A metric point as it was sent: a cumulative series' points hold running totals, and readers
 * take the increases (see increases.ts). Bucket bounds belong to the series.
 */
export type MetricPointRow = {
  projectId: string;
  seriesId: bigint;
  timeNs: bigint;
  startNs: bigint;
  value: number | null;
  count: number | null;
  sum: number | null;
  min: number | null;
  max: number | null;
  counts: number[] | null;
  exp: ExpHistogram | null;
  quantiles: { quantile: number; value: number }[] | null;
};

export const METRIC_POINT_COLUMNS = [
  "project_id",
  "series_id",
  "time_ns",
  "start_ns",
  "value",
  "count",
  "sum",
  "min",
  "max",
  "counts",
  "exp",
  "quantiles",
] as const;

const num = (value: number | null) => (value === null ? NULL : String(value));
const array = (values: number[] | null) => (values === null ? NULL : `{${values.join(",")}}`);

/** A nanosecond time as text, remembering the last one: an export's points share their times. */
function timeText(): (ns: bigint) => string {
  let last = -1n;
  let text = "";
  return (ns) => {
    if (ns !== last) {
      last = ns;
      text = ns.toString();
    }
    return text;
  };
}
const timeNsText = timeText();
const startNsText = timeText();

/** One line of COPY text for a point, in METRIC_POINT_COLUMNS order. */
export function metricPointLine(row: MetricPointRow): string {
  return `${row.projectId}\t${row.seriesId}\t${timeNsText(row.timeNs)}\t${startNsText(row.startNs)}\t${num(row.value)}\t${num(row.count)}\t${num(row.sum)}\t${num(
    row.min,
  )}\t${num(row.max)}\t${array(row.counts)}\t${row.exp ? copyJson(row.exp) : NULL}\t${
    row.quantiles ? copyText(JSON.stringify(row.quantiles)) : NULL
  }\n`;
}
