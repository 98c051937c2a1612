// A series' label set: name/value pairs sorted by name, never holding an empty value (an empty
// label is an absent one, as in Prometheus).

export type Labels = readonly (readonly [string, string])[];

export const NAME = "__name__";

const SEP = "\u00ff";

export function labelsOf(record: Record<string, string>): Labels {
  return Object.entries(record)
    .filter(([, value]) => value !== "")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

export function labelsRecord(labels: Labels): Record<string, string> {
  return Object.fromEntries(labels);
}

/** A string equal for equal label sets and different otherwise. */
export function labelsKey(labels: Labels): string {
  let key = "";
  for (const [name, value] of labels) key += `${name}${SEP}${value}${SEP}`;
  return key;
}

export function getLabel(labels: Labels, name: string): string {
  for (const [n, value] of labels) if (n === name) return value;
  return "";
}

export function dropName(labels: Labels): Labels {
  return labels.some(([n]) => n === NAME) ? labels.filter(([n]) => n !== NAME) : labels;
}

export function keepOnly(labels: Labels, names: ReadonlySet<string>): Labels {
  return labels.filter(([n]) => names.has(n));
}

export function withoutNames(labels: Labels, names: ReadonlySet<string>): Labels {
  return labels.filter(([n]) => !names.has(n));
}

/** The set with `name` set to `value` (removed when `value` is empty). */
export function setLabel(labels: Labels, name: string, value: string): Labels {
  const rest = labels.filter(([n]) => n !== name);
  if (value === "") return rest;
  const out = [...rest, [name, value] as const];
  return out.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Orders label sets as Prometheus orders series in a result. */
export function compareLabels(a: Labels, b: Labels): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const [an, av] = a[i] as readonly [string, string];
    const [bn, bv] = b[i] as readonly [string, string];
    if (an !== bn) return an < bn ? -1 : 1;
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return a.length - b.length;
}

/** The key of the labels a matching clause selects: `on` keeps `names`, else drops them and the name. */
export function signature(labels: Labels, on: boolean, names: ReadonlySet<string>): string {
  let key = "";
  for (const [name, value] of labels) {
    if (on ? names.has(name) : name !== NAME && !names.has(name))
      key += `${name}${SEP}${value}${SEP}`;
  }
  return key;
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
export function isValidLabelName(name: string): boolean {
  return LABEL_NAME.test(name);
}
