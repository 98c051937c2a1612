import Link from "next/link";
import type { Grade } from "@/domain/overview/grades.ts";
import type { ProjectOverview } from "@/domain/overview/overview.ts";
import { formatBytes, formatPercent } from "@/lib/format.ts";
import { GradeDot, gradeText } from "./grade.tsx";

type Item = { grade: Grade; what: string; detail: string; href?: string };

/** Every signal past a threshold, worst first: a service's errors or health, a cache, a replica, a store. */
function itemsOf(overview: ProjectOverview, serviceHref: (name: string) => string): Item[] {
  const items: Item[] = [];
  for (const s of overview.services) {
    if (s.grade !== "bad" && s.grade !== "warning") continue;
    const unhealthy = s.instances.registered - s.instances.passing;
    const detail = [
      s.errorRate !== null && s.errors > 0
        ? `${formatPercent(s.errorRate)} of requests failing`
        : "",
      unhealthy > 0 ? `${unhealthy} of ${s.instances.registered} instances ${s.health}` : "",
    ]
      .filter(Boolean)
      .join(", ");
    items.push({ grade: s.grade, what: s.service, detail, href: serviceHref(s.service) });
  }
  for (const c of overview.caches) {
    if (c.grade === "bad" || c.grade === "warning")
      items.push({
        grade: c.grade,
        what: `cache ${c.cache}`,
        detail: `hit rate ${formatPercent(c.hitRate)}`,
      });
  }
  for (const r of overview.replicas) {
    if (r.grade === "bad" || r.grade === "warning")
      items.push({
        grade: r.grade,
        what: `replica ${r.replica || r.service}`,
        detail: `${r.seconds?.toFixed(1)} s behind${r.bytes !== null ? ` (${formatBytes(r.bytes)})` : ""}`,
      });
  }
  for (const store of overview.shards) {
    if (store.grade === "bad" || store.grade === "warning")
      items.push({
        grade: store.grade,
        what: `shards of ${store.store}`,
        detail: `skew ${store.skew?.toFixed(2)}, largest ${store.largest}`,
      });
  }
  return items.sort((a, b) => (a.grade === b.grade ? 0 : a.grade === "bad" ? -1 : 1));
}

/** What needs attention now, in one line per problem, above everything else. */
export function Attention({
  overview,
  serviceHref,
}: {
  overview: ProjectOverview;
  serviceHref: (name: string) => string;
}) {
  const items = itemsOf(overview, serviceHref);
  if (items.length === 0) {
    return (
      <p
        role="status"
        className="rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-3 text-sm text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200"
      >
        All clear: no service, cache, replica or shard is past its thresholds in this range.
      </p>
    );
  }
  const bad = items.some((item) => item.grade === "bad");
  return (
    <section
      aria-label="needs attention"
      className={`rounded-lg border px-4 py-3 ${bad ? "border-red-200 bg-red-50 dark:border-red-900 dark:bg-red-950/40" : "border-amber-200 bg-amber-50 dark:border-amber-900 dark:bg-amber-950/40"}`}
    >
      <h2 className="text-sm font-semibold">
        {items.length} {items.length === 1 ? "signal needs" : "signals need"} attention
      </h2>
      <ul className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm">
        {items.map((item) => (
          <li key={`${item.what}`} className="flex items-center gap-2">
            <GradeDot grade={item.grade} />
            {item.href ? (
              <Link href={item.href} className="font-medium hover:underline">
                {item.what}
              </Link>
            ) : (
              <span className="font-medium">{item.what}</span>
            )}
            <span className={gradeText[item.grade]}>{item.detail}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
