const tones: Record<string, string> = {
  firing: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  pending: "bg-amber-100 text-amber-800 dark:bg-amber-950 dark:text-amber-300",
  resolved: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  delivered: "bg-emerald-100 text-emerald-800 dark:bg-emerald-950 dark:text-emerald-300",
  failed: "bg-red-100 text-red-800 dark:bg-red-950 dark:text-red-300",
  active: "bg-indigo-100 text-indigo-800 dark:bg-indigo-950 dark:text-indigo-300",
};

/** A state as a coloured word: firing, pending, resolved, delivered, failed… */
export function StateBadge({ state }: { state: string }) {
  return (
    <span
      className={`inline-block rounded px-1.5 py-0.5 text-xs font-semibold ${
        tones[state] ?? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
      }`}
    >
      {state}
    </span>
  );
}

/** Labels as `key=value` chips, alertname first left out (it is shown on its own). */
export function LabelList({
  labels,
  skip = ["alertname"],
}: {
  labels: Record<string, string>;
  skip?: string[];
}) {
  const entries = Object.entries(labels).filter(([key]) => !skip.includes(key));
  if (entries.length === 0) return <span className="text-zinc-400">—</span>;
  return (
    <span className="flex flex-wrap gap-1">
      {entries.map(([key, value]) => (
        <code
          key={key}
          className="rounded bg-zinc-100 px-1.5 py-0.5 font-mono text-xs dark:bg-zinc-800"
        >
          {key}={value}
        </code>
      ))}
    </span>
  );
}
