"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { RANGES, type RangeKey, type TimeWindow } from "@/domain/overview/time-range.ts";

const labels: Record<RangeKey, string> = {
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
};
const REFRESH = { off: 0, "10s": 10_000, "30s": 30_000, "1m": 60_000 } as const;
type Refresh = keyof typeof REFRESH;

const select =
  "rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900";
const pad = (n: number) => String(n).padStart(2, "0");
/** Milliseconds as a datetime-local value in the browser's time zone. */
const local = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
};

/**
 * The page's time range — a preset or a custom from/to — and auto-refresh, kept in the URL
 * (`?range=` or `?from=&to=`, `?refresh=`) so a view can be shared.
 */
export function TimeRangePicker({
  window,
  problem,
}: {
  window: TimeWindow;
  /** What was wrong with a custom range in the URL, if anything. */
  problem?: string | null;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const refresh = (params.get("refresh") ?? "30s") as Refresh;
  const [custom, setCustom] = useState(window.range === "custom");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  useEffect(() => {
    // Set after hydration: the server does not know the browser's time zone.
    setFrom(local(window.fromMs));
    setTo(local(window.toMs));
  }, [window.fromMs, window.toMs]);
  useEffect(() => {
    const every = REFRESH[refresh] ?? REFRESH["30s"];
    if (!every) return;
    const timer = setInterval(() => router.refresh(), every);
    return () => clearInterval(timer);
  }, [router, refresh]);

  const go = (change: (next: URLSearchParams) => void) => {
    const next = new URLSearchParams(params.toString());
    change(next);
    router.push(`${pathname}?${next.toString()}`);
  };
  const choose = (value: string) => {
    if (value === "custom") return setCustom(true);
    setCustom(false);
    go((next) => {
      next.set("range", value);
      next.delete("from");
      next.delete("to");
    });
  };

  return (
    <div className="flex flex-col items-end gap-2">
      <div className="flex flex-wrap items-center justify-end gap-2 text-sm">
        <label className="flex items-center gap-2">
          <span className="text-zinc-500">Time range</span>
          <select
            value={custom ? "custom" : window.range}
            onChange={(event) => choose(event.target.value)}
            className={select}
          >
            {(Object.keys(RANGES) as RangeKey[]).map((key) => (
              <option key={key} value={key}>
                {labels[key]}
              </option>
            ))}
            <option value="custom">Custom…</option>
          </select>
        </label>
        <label className="flex items-center gap-2">
          <span className="text-zinc-500">Refresh</span>
          <select
            value={refresh in REFRESH ? refresh : "30s"}
            onChange={(event) => go((next) => next.set("refresh", event.target.value))}
            className={select}
          >
            {(Object.keys(REFRESH) as Refresh[]).map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
        </label>
      </div>
      {custom ? (
        <form
          className="flex flex-wrap items-center justify-end gap-2 text-sm"
          aria-label="custom time range"
          onSubmit={(event) => {
            event.preventDefault();
            go((next) => {
              next.delete("range");
              next.set("from", String(new Date(from).getTime()));
              next.set("to", String(new Date(to).getTime()));
            });
          }}
        >
          <label className="flex items-center gap-1">
            <span className="text-zinc-500">From</span>
            <input
              type="datetime-local"
              required
              value={from}
              onChange={(event) => setFrom(event.target.value)}
              className={select}
            />
          </label>
          <label className="flex items-center gap-1">
            <span className="text-zinc-500">to</span>
            <input
              type="datetime-local"
              required
              value={to}
              onChange={(event) => setTo(event.target.value)}
              className={select}
            />
          </label>
          <Button type="submit" variant="secondary">
            Apply
          </Button>
        </form>
      ) : null}
      {problem ? <Alert tone="error">{problem}</Alert> : null}
    </div>
  );
}
