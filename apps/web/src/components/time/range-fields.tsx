import { rangeParams, type TimeWindow } from "@/domain/overview/time-range.ts";

/** Hidden fields that carry the page's time range through a GET form's submission. */
export function RangeFields({ window }: { window: TimeWindow }) {
  return (
    <>
      {Object.entries(rangeParams(window)).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
    </>
  );
}
