"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** Alerting's sections: what fires now, the rules, where notifications go, what is silenced. */
export function AlertsTabs({ projectId }: { projectId: string }) {
  const pathname = usePathname();
  const base = `/projects/${projectId}/alerts`;
  const tabs = [
    { href: base, label: "Alerts" },
    { href: `${base}/rules`, label: "Rules" },
    { href: `${base}/receivers`, label: "Receivers" },
    { href: `${base}/silences`, label: "Silences" },
  ];
  return (
    <nav aria-label="Alerting" className="flex gap-1 border-b border-zinc-200 dark:border-zinc-800">
      {tabs.map((tab) => {
        const active = tab.href === base ? pathname === base : pathname.startsWith(tab.href);
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-2 text-sm font-medium ${
              active
                ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
                : "border-transparent text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
            }`}
          >
            {tab.label}
          </Link>
        );
      })}
    </nav>
  );
}
