// The webhook body existing Alertmanager receivers understand: version 4 (PROTOCOLS.md).

export type Labels = Record<string, string>;

export type NotifiedAlert = {
  status: "firing" | "resolved";
  labels: Labels;
  annotations: Labels;
  startsAt: Date;
  /** When it resolved; null while firing. */
  endsAt: Date | null;
  generatorURL: string;
};

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK = 0xffffffffffffffffn;

/**
 * An alert's identity from its labels: FNV-1a (64-bit) over the sorted label names and values,
 * each followed by a 0xff separator, as 16 hex digits — the scheme Prometheus and Alertmanager use.
 */
export function fingerprint(labels: Labels): string {
  let hash = FNV_OFFSET;
  const add = (bytes: Uint8Array) => {
    for (const byte of bytes) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK;
  };
  const encoder = new TextEncoder();
  const separator = new Uint8Array([0xff]);
  for (const name of Object.keys(labels).sort()) {
    add(encoder.encode(name));
    add(separator);
    add(encoder.encode(labels[name] ?? ""));
    add(separator);
  }
  return hash.toString(16).padStart(16, "0");
}

/** The label pairs every one of the maps shares. */
function common(maps: Labels[]): Labels {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(
    Object.entries(first).filter(([key, value]) => rest.every((map) => map[key] === value)),
  );
}

const ZERO_TIME = "0001-01-01T00:00:00Z";

/** The webhook body, as a receiver (or a test) reads it. */
export type AlertmanagerBody = ReturnType<typeof alertmanagerBody>;

/** One notification of a group to one receiver, as Alertmanager's webhook sends it. */
export function alertmanagerBody(group: {
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  alerts: NotifiedAlert[];
  externalURL: string;
  truncatedAlerts?: number;
}) {
  return {
    version: "4",
    groupKey: group.groupKey,
    truncatedAlerts: group.truncatedAlerts ?? 0,
    status: group.alerts.some((alert) => alert.status === "firing") ? "firing" : "resolved",
    receiver: group.receiver,
    groupLabels: group.groupLabels,
    commonLabels: common(group.alerts.map((alert) => alert.labels)),
    commonAnnotations: common(group.alerts.map((alert) => alert.annotations)),
    externalURL: group.externalURL,
    alerts: group.alerts.map((alert) => ({
      status: alert.status,
      labels: alert.labels,
      annotations: alert.annotations,
      startsAt: alert.startsAt.toISOString(),
      endsAt: alert.endsAt ? alert.endsAt.toISOString() : ZERO_TIME,
      generatorURL: alert.generatorURL,
      fingerprint: fingerprint(alert.labels),
    })),
  };
}
