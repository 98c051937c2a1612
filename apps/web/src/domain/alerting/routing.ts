import { z } from "zod";
import { parseDuration } from "../../lib/duration.ts";
import type { Labels } from "./alertmanager-payload.ts";
import { type Matcher, matchesAll, parseMatcher } from "./matchers.ts";

// The routing tree, as Alertmanager's: a root route with child routes chosen by label matchers;
// a child inherits what it does not set; the first matching child wins unless it says `continue`.

const DEFAULTS = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 14_400_000 };

const durationText = (field: string) =>
  z.string().refine((text) => {
    const ms = parseDuration(text);
    return ms !== null && ms >= 0 && ms <= 7 * 86_400_000;
  }, `${field} must be a duration such as 30s, 5m or 4h (at most 7 days)`);

export const matcherList = z.array(z.string()).superRefine((list, context) => {
  list.forEach((text, index) => {
    try {
      parseMatcher(text);
    } catch (error) {
      context.addIssue({ code: "custom", path: [index], message: (error as Error).message });
    }
  });
});

export type RouteInput = {
  receiver?: string;
  matchers?: string[];
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
  continue?: boolean;
  routes?: RouteInput[];
};

export const routeInput: z.ZodType<RouteInput> = z.lazy(() =>
  z.strictObject(
    {
      receiver: z.string().min(1).optional(),
      matchers: matcherList.optional(),
      groupBy: z.array(z.string().min(1)).optional(),
      groupWait: durationText("groupWait").optional(),
      groupInterval: durationText("groupInterval").optional(),
      repeatInterval: durationText("repeatInterval").optional(),
      continue: z.boolean().optional(),
      routes: z.array(routeInput).max(100).optional(),
    },
    {
      error: (issue) =>
        issue.code === "unrecognized_keys"
          ? `unknown route field ${issue.keys.join(", ")}; a route has receiver, matchers, groupBy, groupWait, groupInterval, repeatInterval, continue and routes`
          : undefined,
    },
  ),
);

export const inhibitRuleInput = z.strictObject({
  sourceMatchers: matcherList.min(1, "sourceMatchers needs at least one matcher"),
  targetMatchers: matcherList.min(1, "targetMatchers needs at least one matcher"),
  equal: z.array(z.string().min(1)).default([]),
});
export type InhibitRuleInput = z.input<typeof inhibitRuleInput>;

export type Destination = {
  receiver: string;
  /** The route's position in the tree ("0", "0.1"…), part of the group key. */
  route: string;
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
};

type Settings = Omit<Destination, "receiver" | "route"> & { receiver?: string };

function settingsOf(node: RouteInput, inherited: Settings): Settings {
  const ms = (text: string | undefined, fallback: number) =>
    text === undefined ? fallback : (parseDuration(text) ?? fallback);
  return {
    receiver: node.receiver ?? inherited.receiver,
    groupBy: node.groupBy ?? inherited.groupBy,
    groupWaitMs: ms(node.groupWait, inherited.groupWaitMs),
    groupIntervalMs: ms(node.groupInterval, inherited.groupIntervalMs),
    repeatIntervalMs: ms(node.repeatInterval, inherited.repeatIntervalMs),
  };
}

const parsedMatchers = new WeakMap<RouteInput, Matcher[]>();
function matchersOf(node: RouteInput): Matcher[] {
  let list = parsedMatchers.get(node);
  if (!list) {
    list = (node.matchers ?? []).map(parseMatcher);
    parsedMatchers.set(node, list);
  }
  return list;
}

function walk(node: RouteInput, labels: Labels, inherited: Settings, path: string): Destination[] {
  const settings = settingsOf(node, inherited);
  const found: Destination[] = [];
  for (const [index, child] of (node.routes ?? []).entries()) {
    if (!matchesAll(matchersOf(child), labels)) continue;
    found.push(...walk(child, labels, settings, `${path}.${index}`));
    if (!child.continue) break;
  }
  if (found.length > 0) return found;
  return settings.receiver ? [{ ...settings, receiver: settings.receiver, route: path }] : [];
}

/** Where an alert goes: one destination per matching route that names a receiver. */
export function destinations(root: RouteInput, labels: Labels): Destination[] {
  return walk(root, labels, { groupBy: [], ...DEFAULTS }, "0");
}

/** The tree a project uses when it has none: every receiver gets every alert, by alertname. */
export function defaultRoute(receivers: string[]): RouteInput {
  return {
    groupBy: ["alertname"],
    routes: receivers.map((receiver) => ({ receiver, continue: true })),
  };
}

/** The labels of an alert that form its group; "..." means all of them. */
export function groupLabelsOf(groupBy: string[], labels: Labels): Labels {
  if (groupBy.includes("...")) return { ...labels };
  return Object.fromEntries(
    groupBy.filter((key) => labels[key] !== undefined).map((key) => [key, labels[key] as string]),
  );
}

export function groupKeyOf(destination: Destination, groupLabels: Labels): string {
  const pairs = Object.keys(groupLabels)
    .sort()
    .map((key) => `${key}=${JSON.stringify(groupLabels[key])}`);
  return `${destination.route}:{${pairs.join(",")}}`;
}

/** Receiver names a tree mentions, to check them against the project's receivers. */
export function receiversIn(root: RouteInput): string[] {
  return [...(root.receiver ? [root.receiver] : []), ...(root.routes ?? []).flatMap(receiversIn)];
}
