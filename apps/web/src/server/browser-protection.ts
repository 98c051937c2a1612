import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";

// What every page and browser-facing route gets: a Content-Security-Policy with a fresh nonce per
// response (Next.js reads it from the request's header and puts it on its own scripts), no framing
// by any site, no MIME sniffing, and a refusal of state-changing requests that carry cookies from
// an origin Vigil does not serve.

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function contentSecurityPolicy(nonce: string, dev: boolean): string {
  return [
    "default-src 'self'",
    // 'strict-dynamic': scripts the nonced ones load run too (Next.js's chunks); dev mode's
    // hot reload evaluates code.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // React and recharts set style attributes; styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** Headers every response carries, whoever it is for. */
export function setCommonHeaders(res: ServerResponse): void {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
}

/**
 * Prepares a request for Next.js: the CSP on the response and on the request (where Next.js
 * finds its nonce), frame protection, and the origin check. False when the request was refused
 * (and answered).
 */
export function protectBrowserRequest(
  req: IncomingMessage,
  res: ServerResponse,
  options: { trustedOrigins: () => string[]; dev: boolean },
): boolean {
  if (!SAFE_METHODS.has(req.method ?? "GET") && req.headers.cookie) {
    const refused = crossOriginReason(req, options.trustedOrigins());
    if (refused) {
      res.writeHead(403, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "forbidden", message: refused } }));
      return false;
    }
  }
  const csp = contentSecurityPolicy(randomBytes(16).toString("base64"), options.dev);
  req.headers["content-security-policy"] = csp;
  res.setHeader("Content-Security-Policy", csp);
  res.setHeader("X-Frame-Options", "DENY");
  return true;
}

/** Why a cookie-carrying, state-changing request is refused as cross-site, or null. */
function crossOriginReason(req: IncomingMessage, trusted: string[]): string | null {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    return trusted.includes(origin)
      ? null
      : `requests from ${origin} may not change anything here; open Vigil at its own address`;
  }
  // No Origin header: browsers say where the request came from in Sec-Fetch-Site instead.
  const site = req.headers["sec-fetch-site"];
  return site === undefined || site === "same-origin" || site === "none"
    ? null
    : "cross-site requests may not change anything here";
}
