import { lookup } from "node:dns/promises";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP } from "node:net";

/** A user-supplied URL Vigil will not connect to, with the reason. */
export class BlockedTarget extends Error {
  override name = "BlockedTarget";
}

// Addresses a user-supplied URL may not reach unless internal targets are allowed on purpose.
// IPv4 and IPv6 are separate lists: a BlockList matches every IPv4 address against an IPv6
// ::ffff:0:0/96 rule, which would refuse the whole public IPv4 internet.
const internal = new BlockList();
const internal6 = new BlockList();
const mapped = new BlockList();
mapped.addSubnet("::ffff:0:0", 96, "ipv6");
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  internal.addSubnet(network, prefix, "ipv4");
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  internal6.addSubnet(network, prefix, "ipv6");

export type OutboundPolicy = { allowInternal: boolean };

function isInternal(address: string): boolean {
  const family = isIP(address);
  return family === 4
    ? internal.check(address, "ipv4")
    : family === 6
      ? internal6.check(address, "ipv6") || mapped.check(address, "ipv6")
      : true;
}

export type Target = { url: URL; address: string; family: 4 | 6 };

/**
 * Checks a URL before any connection: http(s) only, and every address its name resolves to must
 * be public unless the policy allows internal targets. The URL parser has already turned decimal,
 * octal and hex IPv4 forms into dotted quads.
 */
export async function resolveTarget(raw: string, policy: OutboundPolicy): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new BlockedTarget(`not a valid URL: ${raw}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new BlockedTarget("only http and https URLs are allowed");
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host)
    ? [{ address: host, family: isIP(host) }]
    : await lookup(host, { all: true, verbatim: true }).catch(() => {
        throw new BlockedTarget(`${host} does not resolve`);
      });
  if (addresses.length === 0) throw new BlockedTarget(`${host} does not resolve`);
  if (!policy.allowInternal) {
    const blocked = addresses.find((entry) => isInternal(entry.address));
    if (blocked)
      throw new BlockedTarget(
        `${host} resolves to ${blocked.address}, an internal address; allow internal targets to use it`,
      );
  }
  const first = addresses[0] as { address: string; family: number };
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 };
}

export type OutboundResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyExcerpt: string;
  /** The whole body, when the request asked for it (`maxBodyBytes`). */
  body?: Buffer;
  /** Whether the address connected to is internal (reachable only because the policy allows it). */
  internal: boolean;
};

/**
 * One request to a checked target, connecting to the very address that was checked (no second
 * lookup) and following no redirect: a 3xx is returned as it is. `timeoutMs` is a total deadline
 * for the whole answer, so a server that drips a byte at a time cannot hold the caller.
 */
export async function outboundRequest(
  raw: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    timeoutMs: number;
    policy: OutboundPolicy;
    /** Ends the request early (the caller is stopping). */
    signal?: AbortSignal;
    /** Read the whole body, up to this many bytes (more fails the request). */
    maxBodyBytes?: number;
  },
): Promise<OutboundResponse> {
  const target = await resolveTarget(raw, options.policy);
  const request = target.url.protocol === "https:" ? httpsRequest : httpRequest;
  const connectTo = { address: target.address, family: target.family };
  return new Promise((resolve, reject) => {
    const req = request(
      target.url,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        signal: options.signal,
        // Node asks for every address ({ all: true }) when it may try several; answer in the
        // form asked, always with the address that was checked.
        lookup: (_host, lookupOptions, callback) =>
          lookupOptions.all
            ? callback(null, [connectTo])
            : callback(null, connectTo.address, connectTo.family),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        let kept = 0;
        const limit = options.maxBodyBytes ?? 1024;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (options.maxBodyBytes !== undefined && size > limit) {
            req.destroy(new Error(`the answer is larger than ${limit} bytes`));
            return;
          }
          if (kept < limit) {
            const part = chunk.subarray(0, limit - kept);
            chunks.push(part);
            kept += part.length;
          }
        });
        res.on("end", () => {
          clearTimeout(deadline);
          const body = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bodyExcerpt: body.subarray(0, 1024).toString("utf8"),
            ...(options.maxBodyBytes !== undefined ? { body } : {}),
            internal: isInternal(target.address),
          });
        });
        res.on("error", fail);
      },
    );
    const deadline = setTimeout(
      () => req.destroy(new Error(`no complete answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    function fail(error: Error) {
      clearTimeout(deadline);
      reject(error);
    }
    req.on("error", fail);
    req.end(options.body);
  });
}
