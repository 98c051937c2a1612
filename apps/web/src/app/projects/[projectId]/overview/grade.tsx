import type { Grade } from "@/domain/overview/grades.ts";

export const gradeText: Record<Grade, string> = {
  good: "text-emerald-700 dark:text-emerald-400",
  warning: "text-amber-700 dark:text-amber-400",
  bad: "text-red-700 dark:text-red-400",
  unknown: "text-zinc-500",
};

const dot: Record<Grade, string> = {
  good: "bg-emerald-500",
  warning: "bg-amber-500",
  bad: "bg-red-500",
  unknown: "bg-zinc-300 dark:bg-zinc-600",
};

/** A coloured dot with the grade as its accessible name. */
export function GradeDot({ grade }: { grade: Grade }) {
  return (
    <span
      role="img"
      aria-label={grade}
      title={grade}
      className={`inline-block size-2.5 shrink-0 rounded-full ${dot[grade]}`}
    />
  );
}
