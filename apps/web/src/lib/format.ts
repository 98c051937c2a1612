const formatter = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A date as operators read it, in their own time zone. */
export function formatWhen(date: Date): string {
  return formatter.format(date);
}
