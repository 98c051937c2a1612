import type { IncomingMessage, ServerResponse } from "node:http";
import { Overloaded, RowsRefused } from "@vigil/db/telemetry";
import {
  DecodeError,
  decodeLogsJson,
  decodeLogsProtobuf,
  decodeMetricsJson,
  decodeMetricsProtobuf,
  decodeTracesJson,
  decodeTracesProtobuf,
  type LogsRequest,
  type MetricsRequest,
  type TracesRequest,
} from "@vigil/otel";
import type { Logger } from "pino";
import { BodyError, readBody } from "./body.ts";
import { ingestKeyOf } from "./ingest-key.ts";
import { ingestLogs } from "./logs.ts";
import { ingestMetrics } from "./metrics.ts";
import {
  contentTypes,
  type Encoding,
  exportResponse,
  RpcCode,
  type Signal,
  statusBody,
} from "./otlp-response.ts";
import { selfMetrics } from "./stats.ts";
import { type IngestResult, ingestTraces } from "./traces.ts";

type Decoded = TracesRequest | MetricsRequest | LogsRequest;
type Route = {
  signal: Signal;
  decode: Record<Encoding, (body: Uint8Array) => Decoded>;
  ingest(projectId: string, decoded: Decoded): Promise<IngestResult>;
};

const routes: Record<string, Route> = {
  "/v1/traces": {
    signal: "traces",
    decode: { protobuf: decodeTracesProtobuf, json: decodeTracesJson },
    ingest: (projectId, decoded) => ingestTraces(projectId, decoded as TracesRequest),
  },
  "/v1/metrics": {
    signal: "metrics",
    decode: { protobuf: decodeMetricsProtobuf, json: decodeMetricsJson },
    ingest: (projectId, decoded) => ingestMetrics(projectId, decoded as MetricsRequest),
  },
  "/v1/logs": {
    signal: "logs",
    decode: { protobuf: decodeLogsProtobuf, json: decodeLogsJson },
    ingest: (projectId, decoded) => ingestLogs(projectId, decoded as LogsRequest),
  },
};

function encodingOf(contentType: string | undefined): Encoding | null {
  const type = (contentType ?? "").split(";")[0]?.trim().toLowerCase();
  if (type === "application/x-protobuf" || type === "application/protobuf") return "protobuf";
  if (type === "application/json") return "json";
  return null;
}

/** OTLP/HTTP receiving, as the OTLP specification says; false when the path is not an OTLP one. */
export async function handleOtlp(
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<boolean> {
  const route = routes[req.url?.split("?")[0] ?? ""];
  if (!route) return false;
  const { signal } = route;
  const encoding = encodingOf(req.headers["content-type"]) ?? "json";
  const fail = (
    status: number,
    code: number,
    message: string,
    headers: Record<string, string> = {},
  ) => {
    selfMetrics.requests.inc({ signal, code: String(status) });
    res.writeHead(status, { "content-type": contentTypes[encoding], ...headers });
    res.end(statusBody(encoding, code, message));
  };

  if (req.method !== "POST") {
    fail(405, RpcCode.invalidArgument, `${req.url} accepts POST only`, { allow: "POST" });
    return true;
  }
  if (!encodingOf(req.headers["content-type"])) {
    fail(
      415,
      RpcCode.invalidArgument,
      "Content-Type must be application/x-protobuf or application/json",
    );
    return true;
  }
  try {
    const key = await ingestKeyOf(req);
    if (!key.ok) {
      fail(401, RpcCode.unauthenticated, key.message);
      return true;
    }
    const body = await readBody(req);
    const result = await route.ingest(key.principal.projectId, route.decode[encoding](body));
    selfMetrics.accepted.inc({ signal }, result.accepted);
    selfMetrics.rejected.inc({ signal }, result.rejected);
    selfMetrics.requests.inc({ signal, code: "200" });
    res.writeHead(200, { "content-type": contentTypes[encoding] });
    res.end(exportResponse(signal, encoding, result.rejected, result.message));
  } catch (error) {
    if (error instanceof BodyError)
      fail(
        error.status,
        RpcCode.invalidArgument,
        error.message,
        error.status === 413 ? { connection: "close" } : {},
      );
    else if (error instanceof DecodeError || error instanceof RowsRefused)
      fail(400, RpcCode.invalidArgument, error.message);
    else if (error instanceof Overloaded)
      fail(503, RpcCode.unavailable, `Vigil is busy: ${error.message}; retry later`, {
        "retry-after": "1",
      });
    else {
      // The database is unreachable or failing: nothing was acknowledged, so the client retries.
      log.warn({ err: error, signal }, "ingest failed; answered 503");
      fail(503, RpcCode.unavailable, "storage is unavailable; retry later", { "retry-after": "5" });
    }
  }
  return true;
}
