import { describe, expect, it } from "vitest";
import { alertmanagerBody } from "./alertmanager-payload.ts";
import { renderBody } from "./body-template.ts";
import { parseMatcher } from "./matchers.ts";
import { destinations, groupKeyOf, groupLabelsOf } from "./routing.ts";
import { ruleInput } from "./rule-spec.ts";
import { nextState, type Tracked } from "./state-machine.ts";
import { checkTemplate, expandTemplate } from "./templates.ts";

describe("an alert's states", () => {
  const timing = { forMs: 60_000, keepFiringForMs: 120_000 };
  it("waits `for` in pending, fires, holds for keep_firing_for, then resolves", () => {
    let state: Tracked | null = nextState(null, true, 0, timing);
    expect(state?.state).toBe("pending");
    state = nextState(state, true, 59_000, timing);
    expect(state?.state).toBe("pending");
    state = nextState(state, true, 60_000, timing);
    expect([state?.state, state?.firedAt]).toEqual(["firing", 60_000]);
    state = nextState(state, false, 170_000, timing);
    expect(state?.state).toBe("firing");
    state = nextState(state, false, 180_000, timing);
    expect([state?.state, state?.resolvedAt]).toEqual(["resolved", 180_000]);
    // Firing again starts a new pending period.
    expect(nextState(state, true, 200_000, timing)).toMatchObject({
      state: "pending",
      activeSince: 200_000,
    });
  });
  it("forgets a pending alert whose condition clears", () => {
    expect(nextState(nextState(null, true, 0, timing), false, 1000, timing)).toBeNull();
  });
});

describe("routing", () => {
  const tree = {
    receiver: "default",
    groupBy: ["alertname"],
    routes: [
      {
        matchers: ["severity=critical"],
        receiver: "pager",
        groupBy: ["alertname", "service"],
        continue: true,
      },
      {
        matchers: ["team=~shop|pay"],
        receiver: "shop",
        routes: [{ matchers: ["service!=checkout"], receiver: "shop-other" }],
      },
    ],
  };
  it("takes the first matching route, goes on after `continue`, and inherits what a route does not set", () => {
    const to = (labels: Record<string, string>) =>
      destinations(tree, labels).map((d) => `${d.receiver}@${d.route}:${d.groupBy.join("+")}`);
    expect(to({ alertname: "A", severity: "critical", team: "shop", service: "checkout" })).toEqual(
      ["pager@0.0:alertname+service", "shop@0.1:alertname"],
    );
    expect(to({ alertname: "A", team: "pay", service: "search" })).toEqual([
      "shop-other@0.1.0:alertname",
    ]);
    expect(to({ alertname: "A" })).toEqual(["default@0:alertname"]);
    const [first] = destinations(tree, { alertname: "A" });
    expect(first?.groupWaitMs).toBe(30_000);
    expect(first?.repeatIntervalMs).toBe(4 * 3_600_000);
  });
  it("keys groups by route and group labels", () => {
    const [destination] = destinations(tree, { alertname: "A", service: "x" });
    if (!destination) throw new Error("no destination");
    expect(
      groupKeyOf(
        destination,
        groupLabelsOf(["alertname", "missing"], { alertname: "A", service: "x" }),
      ),
    ).toBe('0:{alertname="A"}');
  });
});

describe("matchers and templates", () => {
  it("parses the four operators and refuses nonsense with the reason", () => {
    expect(parseMatcher('service=~"check.*"')).toEqual({
      name: "service",
      op: "=~",
      value: "check.*",
    });
    expect(() => parseMatcher("service")).toThrow(/not a matcher/);
    expect(() => parseMatcher("a=~(")).toThrow(/not a valid RE2 regular expression/);
  });
  it("expands $labels and $value and names an unknown placeholder", () => {
    expect(
      expandTemplate("{{ $labels.service }} at {{ $value }}", { service: "api" }, 0.1234567),
    ).toBe("api at 0.123457");
    expect(() => checkTemplate("{{ .Labels.x }}")).toThrow(/use \{\{ \$labels/);
  });
  it("renders a chat body template with JSON escaping", () => {
    const payload = alertmanagerBody({
      receiver: "chat",
      groupKey: "k",
      groupLabels: {},
      externalURL: "http://v",
      alerts: [
        {
          status: "firing",
          labels: { alertname: "Slow", service: "api" },
          annotations: { summary: 'p95 "high"' },
          startsAt: new Date(0),
          endsAt: null,
          generatorURL: "",
        },
      ],
    });
    const text = renderBody('{"text": "{{ status }}: {{ alerts.summary }}"}', payload);
    expect(JSON.parse(text)).toEqual({ text: 'firing: [FIRING] Slow api: p95 "high"' });
  });
});

describe("durations in rules", () => {
  it("take days as Prometheus writes them", () => {
    const rule = ruleInput.parse({
      name: "LongDown",
      spec: { kind: "registry", condition: "passing_below", service: "api", threshold: 1 },
      for: "1d",
      keepFiringFor: "12h30m",
    });
    expect([rule.for, rule.keepFiringFor]).toEqual([86_400, 45_000]);
  });
});
