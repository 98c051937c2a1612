import type { Decoded, Rejections } from "../model.ts";
import { list, object, parseJson, resource, scope } from "./common.ts";

/** The envelope's JSON keys for one signal, e.g. resourceSpans / scopeSpans / spans. */
export type EnvelopeKeys = { resources: string; scopes: string; items: string };

/**
 * The OTLP/JSON envelope all three export requests share: resources, their scopes, the items;
 * `read` decodes one item (null to skip it), `keep` returns how many accepted things it holds.
 */
export function decodeJsonEnvelope<T>(
  body: Uint8Array,
  keys: EnvelopeKeys,
  read: (value: unknown, path: string) => T | null,
  keep: (item: T, rejected: Rejections) => number,
): Decoded<T> {
  const root = parseJson(body);
  const decoded: Decoded<T> = { resources: [], accepted: 0, rejected: { count: 0, messages: [] } };
  list(root[keys.resources], keys.resources).forEach((resourceValue, r) => {
    const at = `${keys.resources}[${r}]`;
    const rs = object(resourceValue, at);
    const scopes = list(rs[keys.scopes], `${at}.${keys.scopes}`).map((scopeValue, s) => {
      const path = `${at}.${keys.scopes}[${s}]`;
      const ss = object(scopeValue, path);
      const items: T[] = [];
      list(ss[keys.items], `${path}.${keys.items}`).forEach((itemValue, i) => {
        const item = read(itemValue, `${path}.${keys.items}[${i}]`);
        const kept = item === null ? 0 : keep(item, decoded.rejected);
        if (item !== null && kept > 0) {
          items.push(item);
          decoded.accepted += kept;
        }
      });
      return { scope: scope(ss.scope, ss.schemaUrl, `${path}.scope`), items };
    });
    decoded.resources.push({
      resource: resource(rs.resource, rs.schemaUrl, `${at}.resource`),
      scopes,
    });
  });
  return decoded;
}
