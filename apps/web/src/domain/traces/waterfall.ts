import type { TraceSpan } from "./get-trace.ts";

export type WaterfallRow = {
  span: TraceSpan;
  depth: number;
  /** Where the bar starts and how long it is, as shares of the whole trace (0..1). */
  offset: number;
  width: number;
  /** Index of the span's service among the trace's services, for its colour. */
  serviceIndex: number;
  /** On the critical path: the chain of last-finishing children that decides when the trace ends. */
  critical: boolean;
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
      critical: false,
    });
    for (const child of children.get(span.spanId) ?? []) visit(child, depth + 1);
  };
  for (const root of children.get(null) ?? []) visit(root, 0);
  markCriticalPath(rows, children);
  return { rows, durationMs: total / 1e6, services };
}

/**
 * From the root that ends last, follow at each level the child that finishes last (the work
 * the parent was still waiting for): those spans decide the trace's duration.
 */
function markCriticalPath(rows: WaterfallRow[], children: Map<string | null, TraceSpan[]>): void {
  const byId = new Map(rows.map((row) => [row.span.spanId, row]));
  const lastToEnd = (spans: TraceSpan[] | undefined) =>
    spans?.reduce<TraceSpan | undefined>(
      (last, span) =>
        !last || BigInt(span.endTimeUnixNano) > BigInt(last.endTimeUnixNano) ? span : last,
      undefined,
    );
  let current = lastToEnd(children.get(null));
  while (current) {
    const row = byId.get(current.spanId);
    if (row) row.critical = true;
    current = lastToEnd(children.get(current.spanId));
  }
}
