import { describe, expect, it } from "vitest";
import { clientAddress, trustedProxies } from "./client-ip.ts";

describe("the client's address", () => {
  const proxies = trustedProxies("127.0.0.1, 10.0.0.0/8, fd00::/8");

  it("is the socket's when no proxy is trusted, whatever X-Forwarded-For says", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", trustedProxies(undefined))).toBe(
      "203.0.113.9",
    );
    expect(clientAddress("::ffff:127.0.0.1", "198.51.100.1", trustedProxies(""))).toBe("127.0.0.1");
  });

  it("is the socket's when the socket is not a trusted proxy", () => {
    expect(clientAddress("203.0.113.9", "198.51.100.1", proxies)).toBe("203.0.113.9");
  });

  it("is the last hop a trusted proxy added, not what the client put in front of it", () => {
    // The client forged 198.51.100.1; the load balancer (127.0.0.1) appended 203.0.113.9.
    expect(clientAddress("127.0.0.1", "198.51.100.1, 203.0.113.9", proxies)).toBe("203.0.113.9");
    expect(clientAddress("::ffff:127.0.0.1", ["198.51.100.1", "203.0.113.9"], proxies)).toBe(
      "203.0.113.9",
    );
  });

  it("skips a chain of trusted proxies", () => {
    expect(clientAddress("127.0.0.1", "203.0.113.9, 10.1.2.3", proxies)).toBe("203.0.113.9");
    expect(clientAddress("fd00::1", "2001:db8::7, fd00::2", proxies)).toBe("2001:db8::7");
  });

  it("stops at a hop that is not an address, keeping the last trusted one", () => {
    expect(clientAddress("127.0.0.1", "unknown, 10.1.2.3", proxies)).toBe("10.1.2.3");
    expect(clientAddress("127.0.0.1", undefined, proxies)).toBe("127.0.0.1");
  });
});
