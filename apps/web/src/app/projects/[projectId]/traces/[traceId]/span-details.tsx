import type { TraceSpan } from "@/domain/traces/get-trace.ts";

function Pairs({ values }: { values: Record<string, unknown> }) {
  const entries = Object.entries(values);
  if (entries.length === 0) return <p className="text-zinc-500">none</p>;
  return (
    <dl className="grid grid-cols-[minmax(0,14rem)_minmax(0,1fr)] gap-x-4 gap-y-0.5">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="truncate font-mono text-zinc-500">{key}</dt>
          <dd className="font-mono break-all">
            {typeof value === "string" ? value : JSON.stringify(value)}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A span's status, attributes, events and links, shown when its row is opened. */
export function SpanDetails({ span }: { span: TraceSpan }) {
  const events = span.events as {
    name?: string;
    timeUnixNano?: string;
    attributes?: Record<string, unknown>;
  }[];
  const links = span.links as { traceId?: string; spanId?: string }[];
  return (
    <div className="ml-2 space-y-3 border-l-2 border-zinc-200 py-2 pl-4 text-xs dark:border-zinc-700">
      <p>
        status <strong>{span.status.code}</strong>
        {span.status.message ? ` — ${span.status.message}` : ""} · span {span.spanId}
        {span.service.instance ? ` · instance ${span.service.instance}` : ""}
      </p>
      <section>
        <h3 className="mb-1 font-semibold">Attributes</h3>
        <Pairs values={span.attributes as Record<string, unknown>} />
      </section>
      {events.length > 0 ? (
        <section>
          <h3 className="mb-1 font-semibold">Events</h3>
          <ul className="space-y-1">
            {events.map((event) => (
              <li key={`${event.name}-${event.timeUnixNano}`}>
                <span className="font-medium">{event.name}</span>{" "}
                <span className="font-mono text-zinc-500">
                  {JSON.stringify(event.attributes ?? {})}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {links.length > 0 ? (
        <section>
          <h3 className="mb-1 font-semibold">Links</h3>
          <ul className="font-mono">
            {links.map((link) => (
              <li key={`${link.traceId}-${link.spanId}`}>
                {link.traceId} / {link.spanId}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
