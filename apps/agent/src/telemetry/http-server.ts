import dc from "node:diagnostics_channel";
import http from "node:http";
import https from "node:https";
import {
  type Attributes,
  context,
  type Histogram,
  metrics,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from "@opentelemetry/api";
import { RPCType, setRPCMetadata } from "@opentelemetry/core";

const SCOPE = "@vigil/agent/http-server";
const STATE = Symbol("vigil.http.server");
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
type Tracked = { started: number; span: Span; rpc: { route?: string } };
type WithState = { [STATE]?: Tracked };

/**
 * Inbound HTTP for node:http and node:https servers, built for a low per-request cost: a server
 * span (sampled by the tracer provider's sampler) active while the handler runs, and
 * `http.server.request.duration` for every request by method, status and route. Express and
 * Fastify instrumentations name the route through the same RPC metadata the OpenTelemetry HTTP
 * instrumentation offers them. Returns how to remove it.
 */
export function instrumentHttpServers(ignorePath: RegExp): () => void {
  const tracer = trace.getTracer(SCOPE);
  const histogram: Histogram = metrics
    .getMeter(SCOPE)
    .createHistogram("http.server.request.duration", {
      unit: "s",
      description: "Duration of inbound HTTP requests",
      advice: { explicitBucketBoundaries: BUCKETS },
    });
  // Attribute sets are reused per method, status and route rather than built per request.
  const attributeSets = new Map<string, Attributes>();
  const attributesFor = (method: string, status: number, route: string | undefined) => {
    const key = `${method} ${status} ${route ?? ""}`;
    let attributes = attributeSets.get(key);
    if (!attributes) {
      attributes = {
        "http.request.method": method,
        "http.response.status_code": status,
        ...(route ? { "http.route": route } : {}),
      };
      if (attributeSets.size < 2000) attributeSets.set(key, attributes);
    }
    return attributes;
  };

  const onFinish = (message: unknown) => {
    const { request, response } = message as {
      request: http.IncomingMessage;
      response: http.ServerResponse & WithState;
    };
    const tracked = response[STATE];
    if (!tracked) return;
    response[STATE] = undefined;
    const method = request.method ?? "GET";
    const route = tracked.rpc.route;
    const status = response.statusCode;
    histogram.record(
      (performance.now() - tracked.started) / 1000,
      attributesFor(method, status, route),
    );
    const span = tracked.span;
    if (!span.isRecording()) return;
    if (route) {
      span.updateName(`${method} ${route}`);
      span.setAttribute("http.route", route);
    }
    span.setAttribute("http.response.status_code", status);
    if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  dc.subscribe("http.server.response.finish", onFinish);

  const wrap = (original: Emit, scheme: string): Emit =>
    function emit(this: http.Server, event, ...args) {
      if (event !== "request") return original.call(this, event, ...args);
      const request = args[0] as http.IncomingMessage;
      const response = args[1] as http.ServerResponse & WithState;
      const url = request.url ?? "/";
      if (ignorePath.test(url)) return original.call(this, event, ...args);
      const parent =
        request.headers.traceparent === undefined
          ? context.active()
          : propagation.extract(context.active(), request.headers);
      const method = request.method ?? "GET";
      const span = tracer.startSpan(method, { kind: SpanKind.SERVER }, parent);
      if (span.isRecording())
        span.setAttributes({
          "http.request.method": method,
          "url.path": url.split("?")[0],
          "url.scheme": scheme,
        });
      const rpc: { type: RPCType.HTTP; span: Span; route?: string } = { type: RPCType.HTTP, span };
      response[STATE] = { started: performance.now(), span, rpc };
      const active = setRPCMetadata(trace.setSpan(parent, span), rpc);
      return context.with(active, original, this, event, ...args);
    };

  const patched = [
    { target: http.Server.prototype, scheme: "http" },
    { target: https.Server.prototype, scheme: "https" },
  ].map(({ target, scheme }) => {
    const holder = target as unknown as { emit: Emit };
    const own = Object.hasOwn(holder, "emit");
    const original = holder.emit;
    holder.emit = wrap(original, scheme);
    return () => {
      if (own) holder.emit = original;
      else delete (holder as { emit?: Emit }).emit;
    };
  });
  return () => {
    dc.unsubscribe("http.server.response.finish", onFinish);
    for (const restore of patched) restore();
  };
}
