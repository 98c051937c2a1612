"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { RANGES, type RangeKey } from "@/domain/overview/time-range.ts";

const labels: Record<RangeKey, string> = {
  "15m": "Last 15 minutes",
  "1h": "Last hour",
  "6h": "Last 6 hours",
  "24h": "Last 24 hours",
  "7d": "Last 7 days",
};

/** The time range, kept in the URL (`?range=`) so a view can be shared; refreshes every 30 s. */
export function RangePicker({ range }: { range: RangeKey }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  useEffect(() => {
    const timer = setInterval(() => router.refresh(), 30_000);
    return () => clearInterval(timer);
  }, [router]);
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-zinc-500">Time range</span>
      <select
        value={range}
        onChange={(event) => {
          const next = new URLSearchParams(params.toString());
          next.set("range", event.target.value);
          router.push(`${pathname}?${next.toString()}`);
        }}
        className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
      >
        {(Object.keys(RANGES) as RangeKey[]).map((key) => (
          <option key={key} value={key}>
            {labels[key]}
          </option>
        ))}
      </select>
    </label>
  );
}
