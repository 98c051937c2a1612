import type { IncomingMessage } from "node:http";
import { createGunzip } from "node:zlib";

/** A request body Vigil will not read, with the HTTP status that says why. */
export class BodyError extends Error {
  override name = "BodyError";
  readonly status: 400 | 413 | 415;
  constructor(status: 400 | 413 | 415, message: string) {
    super(message);
    this.status = status;
  }
}

export const DEFAULT_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * Reads a request body, gunzipping it when Content-Encoding says gzip. The limit applies to the
 * decompressed bytes, and inflation stops the moment it is crossed: a small gzip bomb costs a
 * few hundred kilobytes of work, not gigabytes.
 */
export async function readBody(
  req: IncomingMessage,
  limit = DEFAULT_BODY_LIMIT,
  /** Encodings the caller decodes itself: the bytes are read as they came. */
  passThrough: string[] = [],
): Promise<Buffer> {
  const sent = (req.headers["content-encoding"] ?? "identity").toString().trim().toLowerCase();
  const encoding = passThrough.includes(sent) ? "identity" : sent;
  if (encoding !== "gzip" && encoding !== "identity" && encoding !== "") {
    throw new BodyError(
      415,
      `Content-Encoding ${encoding} is not supported; send gzip or identity`,
    );
  }
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    throw new BodyError(413, `request body of ${declared} bytes exceeds the ${limit}-byte limit`);
  }
  const source = encoding === "gzip" ? req.pipe(createGunzip()) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) {
        throw new BodyError(
          413,
          `request body exceeds the ${limit}-byte limit${encoding === "gzip" ? " once decompressed" : ""}`,
        );
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (source !== req) (source as NodeJS.ReadWriteStream & { destroy(): void }).destroy();
    if (error instanceof BodyError) throw error;
    throw new BodyError(
      400,
      `the body could not be read${encoding === "gzip" ? " as gzip" : ""}: ${(error as Error).message}`,
    );
  }
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size);
}
