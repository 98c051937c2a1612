// Prometheus's text exposition format (version 0.0.4), as exporters serve it: `# HELP` and
// `# TYPE` lines, then `name{label="value",…} value [timestamp]`. A line that cannot be read
// fails the scrape, as it does in Prometheus, naming the line.

export type ExposedSample = {
  name: string;
  labels: Record<string, string>;
  value: number;
  /** Milliseconds when the exporter gave one, else null (the scrape's time is used). */
  timestampMs: number | null;
};

export type Exposition = {
  samples: ExposedSample[];
  types: Map<string, string>;
  help: Map<string, string>;
};

export class ExpositionError extends Error {
  override name = "ExpositionError";
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseFloatValue(text: string, line: number): number {
  switch (text) {
    case "NaN":
      return Number.NaN;
    case "+Inf":
    case "Inf":
      return Number.POSITIVE_INFINITY;
    case "-Inf":
      return Number.NEGATIVE_INFINITY;
  }
  const value = Number(text);
  if (text === "" || Number.isNaN(value))
    throw new ExpositionError(`line ${line}: "${text.slice(0, 40)}" is not a number`);
  return value;
}

function parseLabels(
  text: string,
  start: number,
  line: number,
): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  let i = start + 1;
  const fail = (what: string): never => {
    throw new ExpositionError(`line ${line}: ${what} in the label set`);
  };
  for (;;) {
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] === "}") return { labels, end: i + 1 };
    const name = LABEL.exec(text.slice(i))?.[0] ?? fail("expected a label name");
    i += name.length;
    while (text[i] === " ") i++;
    if (text[i] !== "=") fail(`expected = after ${name}`);
    i++;
    while (text[i] === " ") i++;
    if (text[i] !== '"') fail(`expected a quoted value for ${name}`);
    i++;
    let value = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) fail("unterminated label value");
      if (c === '"') break;
      if (c === "\\") {
        const e = text[i + 1];
        value += e === "n" ? "\n" : e === "\\" ? "\\" : e === '"' ? '"' : `\\${e ?? ""}`;
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    i++;
    if (name in labels) fail(`label ${name} appears twice`);
    labels[name] = value;
    while (text[i] === " ") i++;
    if (text[i] === ",") i++;
    else if (text[i] !== "}") fail("expected , or }");
  }
}

/** Reads an exposition; `maxSamples` bounds what one scrape may hold (Prometheus's sample_limit). */
export function parseExposition(body: string, maxSamples: number): Exposition {
  const samples: ExposedSample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  const lines = body.split("\n");
  for (let n = 0; n < lines.length; n++) {
    const line = (lines[n] as string).trim();
    if (line === "") continue;
    if (line.startsWith("#")) {
      const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (meta?.[1] === "TYPE") types.set(meta[2] as string, (meta[3] as string).trim());
      else if (meta?.[1] === "HELP") help.set(meta[2] as string, meta[3] as string);
      continue;
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw new ExpositionError(`line ${n + 1}: expected a metric name`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) {
      const parsed = parseLabels(rest, 0, n + 1);
      labels = parsed.labels;
      rest = rest.slice(parsed.end);
    }
    const [valueText = "", timestampText, extra] = rest.trim().split(/\s+/);
    if (extra !== undefined)
      throw new ExpositionError(`line ${n + 1}: unexpected "${extra}" after the timestamp`);
    const timestampMs = timestampText === undefined ? null : Number(timestampText);
    if (timestampMs !== null && !Number.isSafeInteger(timestampMs))
      throw new ExpositionError(
        `line ${n + 1}: "${timestampText}" is not a timestamp in milliseconds`,
      );
    samples.push({ name, labels, value: parseFloatValue(valueText, n + 1), timestampMs });
    if (samples.length > maxSamples)
      throw new ExpositionError(
        `the target exposes more than ${maxSamples} samples (the scrape's sample limit)`,
      );
  }
  return { samples, types, help };
}
