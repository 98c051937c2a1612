import type { TraceSpan } from "./get-trace.ts";

export type WaterfallRow = {
  span: TraceSpan;
  depth: number;
  /** Where the bar starts and how long it is, as shares of the whole trace (0..1). */
  offset: number;
  width: number;
  /** Index of the span's service among the trace's services, for its colour. */
  serviceIndex: number;
};

/**
 * The trace's spans in waterfall order: each span after its parent, siblings by start time,
 * spans whose parent is missing treated as roots.
 */
export function waterfall(spans: TraceSpan[]): {
  rows: WaterfallRow[];
  durationMs: number;
  services: string[];
} {
  if (spans.length === 0) return { rows: [], durationMs: 0, services: [] };
  const start = spans.reduce(
    (min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min),
    BigInt(spans[0]?.startTimeUnixNano ?? 0),
  );
  const end = spans.reduce(
    (max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max),
    0n,
  );
  const total = Number(end - start) || 1;
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | null, TraceSpan[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : null;
    const list = children.get(parent) ?? [];
    list.push(span);
    children.set(parent, list);
  }
  for (const list of children.values())
    list.sort((a, b) => (BigInt(a.startTimeUnixNano) < BigInt(b.startTimeUnixNano) ? -1 : 1));
  const services: string[] = [];
  const rows: WaterfallRow[] = [];
  const visit = (span: TraceSpan, depth: number) => {
    if (!services.includes(span.service.name)) services.push(span.service.name);
    rows.push({
      span,
      depth,
      offset: Number(BigInt(span.startTimeUnixNano) - start) / total,
      width: Math.max(
        Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / total,
        0.002,
      ),
      serviceIndex: services.indexOf(span.service.name),
    });
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  return { rows, durationMs: total / 1e6, services };
}
