import type { ReactNode } from "react";
import type { TimeWindow } from "@/domain/overview/time-range.ts";
import { TimeRangePicker } from "./time/time-range-picker.tsx";

/** A page's title and what it shows, with the time range picker when the page has a range. */
export function PageHeader({
  title,
  description,
  window,
  rangeProblem,
  children,
}: {
  title: ReactNode;
  description: ReactNode;
  window?: TimeWindow;
  rangeProblem?: string | null;
  children?: ReactNode;
}) {
  return (
    <div className="flex flex-col gap-4 md:flex-row md:items-start md:justify-between">
      <div className="min-w-0 flex-1">
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="text-sm text-zinc-500">{description}</p>
        {children}
      </div>
      {window ? (
        <div className="shrink-0">
          <TimeRangePicker window={window} problem={rangeProblem} />
        </div>
      ) : null}
    </div>
  );
}
