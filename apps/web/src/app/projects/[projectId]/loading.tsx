/** Shown while a project page's data loads (a long range on a busy project can take a moment). */
export default function Loading() {
  return (
    <div className="space-y-6" aria-busy="true">
      <p role="status" className="text-sm text-zinc-500">
        Loading…
      </p>
      <div className="h-8 w-64 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-48 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-900" />
      <div className="h-48 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}
