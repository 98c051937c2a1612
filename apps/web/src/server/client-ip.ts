import { BlockList, isIP } from "node:net";

/** Set by Vigil's server on every request from the socket's address; the only client-address header Vigil trusts. */
export const CLIENT_IP_HEADER = "x-vigil-client-ip";

/**
 * The proxies whose X-Forwarded-For Vigil believes (VIGIL_TRUSTED_PROXIES: addresses and CIDR
 * ranges, comma-separated), e.g. the load balancer in front of its replicas.
 */
export function trustedProxies(spec: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (spec ?? "")
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, "");
const trusted = (list: BlockList, address: string) => {
  const family = isIP(address);
  return family !== 0 && list.check(address, family === 6 ? "ipv6" : "ipv4");
};

/**
 * The client's address: the socket's, unless that is a trusted proxy; then the nearest address in
 * X-Forwarded-For that is not a trusted proxy (each proxy appends the address it was reached
 * from, so anything further left may be forged by the client).
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  proxies: BlockList,
): string {
  let client = plain(socketAddress ?? "unknown");
  if (!trusted(proxies, client)) return client;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? ""))
    .split(",")
    .map((hop) => plain(hop.trim()))
    .filter(Boolean);
  while (hops.length > 0) {
    const hop = hops.pop() as string;
    if (isIP(hop) === 0) return client;
    client = hop;
    if (!trusted(proxies, hop)) return hop;
  }
  return client;
}
