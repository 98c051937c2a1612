import type { IncomingMessage, ServerResponse } from "node:http";
import { Overloaded, RowsRefused } from "@vigil/db/telemetry";
import { DecodeError, decodeWriteRequest, writeRequestToMetrics } from "@vigil/otel";
import type { Logger } from "pino";
import snappy from "snappy";
import { BodyError, DEFAULT_BODY_LIMIT, readBody } from "./body.ts";
import { ingestKeyOf } from "./ingest-key.ts";
import { ingestMetrics } from "./metrics.ts";
import { selfMetrics } from "./stats.ts";

// Prometheus remote write 1.0 (POST /prometheus/api/v1/write): the same guarantees as OTLP —
// answered after the samples are durable, a sample sent twice stored once, 400 for what will
// never succeed (the sender drops it), 503 with Retry-After when Vigil or its database is busy.

const SIGNAL = "prometheus";

/** The length a snappy block says it inflates to (its varint preamble), without inflating it. */
function inflatedLength(block: Buffer): number {
  let length = 0;
  let scale = 1;
  for (let i = 0; i < 5 && i < block.length; i++) {
    const byte = block[i] as number;
    length += (byte & 0x7f) * scale;
    if (byte < 0x80) return length;
    scale *= 128;
  }
  throw new BodyError(400, "the body is not a snappy block (bad length preamble)");
}

function uncompress(body: Buffer): Buffer {
  if (inflatedLength(body) > DEFAULT_BODY_LIMIT)
    throw new BodyError(
      413,
      `request body exceeds the ${DEFAULT_BODY_LIMIT}-byte limit once decompressed`,
    );
  try {
    return snappy.uncompressSync(body) as Buffer;
  } catch (error) {
    throw new BodyError(400, `the body could not be read as snappy: ${(error as Error).message}`);
  }
}

export async function handleRemoteWrite(
  req: IncomingMessage,
  res: ServerResponse,
  log: Logger,
): Promise<void> {
  const answer = (status: number, message: string, headers: Record<string, string> = {}) => {
    selfMetrics.requests.inc({ signal: SIGNAL, code: String(status) });
    if (status === 204) {
      res.writeHead(204);
      res.end();
      return;
    }
    res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
    res.end(`${message}\n`);
  };
  if (req.method !== "POST")
    return answer(405, "remote write accepts POST only", { allow: "POST" });
  try {
    const key = await ingestKeyOf(req);
    if (!key.ok) return answer(401, key.message);
    const encoding = (req.headers["content-encoding"] ?? "").toString().trim().toLowerCase();
    if (encoding !== "snappy")
      return answer(
        415,
        "remote write bodies must be snappy-compressed (Content-Encoding: snappy)",
      );
    const body = uncompress(await readBody(req, DEFAULT_BODY_LIMIT, ["snappy"]));
    const metrics = writeRequestToMetrics(decodeWriteRequest(body));
    const result = await ingestMetrics(key.principal.projectId, metrics);
    selfMetrics.accepted.inc({ signal: SIGNAL }, result.accepted);
    selfMetrics.rejected.inc({ signal: SIGNAL }, result.rejected);
    if (result.rejected > 0) {
      // What was valid is stored; the rest never will be, so the sender must not retry it.
      return answer(
        400,
        `${result.rejected} samples refused (${result.accepted} stored): ${result.message}`,
      );
    }
    return answer(204, "");
  } catch (error) {
    if (error instanceof BodyError)
      return answer(
        error.status,
        error.message,
        error.status === 413 ? { connection: "close" } : {},
      );
    if (error instanceof DecodeError || error instanceof RowsRefused)
      return answer(400, error.message);
    if (error instanceof Overloaded)
      return answer(503, `Vigil is busy: ${error.message}; retry later`, { "retry-after": "1" });
    log.warn({ err: error, signal: SIGNAL }, "remote write failed; answered 503");
    return answer(503, "storage is unavailable; retry later", { "retry-after": "5" });
  }
}
