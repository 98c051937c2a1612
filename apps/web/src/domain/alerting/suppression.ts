import type { Labels } from "./alertmanager-payload.ts";
import { type Matcher, matchesAll, parseMatcher } from "./matchers.ts";
import type { InhibitRuleInput } from "./routing.ts";

// Which alerts are not notified now, and why: a silence that matches them, or inhibition by a
// firing alert (an inhibit rule, or a critical service they depend on).

export type Silence = { id: string; matchers: Matcher[]; comment: string };
export type InhibitRule = { source: Matcher[]; target: Matcher[]; equal: string[] };

/** Used when a project sets no inhibit rules: a critical alert mutes lower severities of its service. */
export const DEFAULT_INHIBIT_RULES: InhibitRuleInput[] = [
  {
    sourceMatchers: ["severity=critical"],
    targetMatchers: ["severity=~warning|info"],
    equal: ["service"],
  },
  { sourceMatchers: ["severity=warning"], targetMatchers: ["severity=info"], equal: ["service"] },
];

export function toInhibitRule(input: InhibitRuleInput): InhibitRule {
  return {
    source: input.sourceMatchers.map(parseMatcher),
    target: input.targetMatchers.map(parseMatcher),
    equal: input.equal ?? [],
  };
}

export type Candidate = { fingerprint: string; labels: Labels; firing: boolean };

/**
 * The reason each suppressed alert is suppressed. `criticalDependencies` maps a service to the
 * services it calls that are critical in the registry: its alerts are effects, not causes.
 */
export function suppressed(
  alerts: Candidate[],
  silences: Silence[],
  rules: InhibitRule[],
  criticalDependencies: Map<string, string[]>,
): Map<string, string> {
  const reasons = new Map<string, string>();
  const firing = alerts.filter((alert) => alert.firing);
  for (const alert of alerts) {
    const silence = silences.find((entry) => matchesAll(entry.matchers, alert.labels));
    if (silence) {
      reasons.set(alert.fingerprint, `silenced${silence.comment ? `: ${silence.comment}` : ""}`);
      continue;
    }
    for (const rule of rules) {
      if (!matchesAll(rule.target, alert.labels)) continue;
      const source = firing.find(
        (other) =>
          other.fingerprint !== alert.fingerprint &&
          matchesAll(rule.source, other.labels) &&
          !matchesAll(rule.target, other.labels) &&
          rule.equal.every((key) => (other.labels[key] ?? "") === (alert.labels[key] ?? "")),
      );
      if (source) {
        reasons.set(alert.fingerprint, `inhibited by ${source.labels.alertname ?? "an alert"}`);
        break;
      }
    }
    if (reasons.has(alert.fingerprint)) continue;
    const service = alert.labels.service;
    const causes = service ? (criticalDependencies.get(service) ?? []) : [];
    const cause = causes.find((dependency) => dependency !== service);
    if (cause)
      reasons.set(
        alert.fingerprint,
        `inhibited: ${service} depends on ${cause}, which is critical in the registry`,
      );
  }
  return reasons;
}
