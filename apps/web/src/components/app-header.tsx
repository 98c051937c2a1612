"use client";

import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import type { ProjectSummary } from "@/domain/tenancy/projects.ts";
import { authClient } from "@/lib/auth-client.ts";
import { Logo } from "./logo.tsx";
import { Button } from "./ui/button.tsx";

type Props = {
  user: { email: string; name: string };
  projects: ProjectSummary[];
  current: ProjectSummary;
  /** This project is the running demo fleet's: show its Demo tab. */
  demo?: boolean;
};

export function AppHeader({ user, projects, current, demo = false }: Props) {
  const router = useRouter();
  const pathname = usePathname();
  const base = `/projects/${current.id}`;
  const tabs = [
    { href: base, label: "Overview" },
    { href: `${base}/traces`, label: "Traces" },
    { href: `${base}/map`, label: "Map" },
    { href: `${base}/metrics`, label: "Metrics" },
    { href: `${base}/dashboards`, label: "Dashboards" },
    { href: `${base}/alerts`, label: "Alerts" },
    { href: `${base}/registry`, label: "Registry" },
    { href: `${base}/settings`, label: "Settings" },
    ...(demo ? [{ href: `${base}/demo`, label: "Demo" }] : []),
  ];

  return (
    <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
      <div className="mx-auto flex max-w-6xl items-center gap-5 whitespace-nowrap px-6 py-3">
        <Link href="/" aria-label="Vigil home">
          <Logo />
        </Link>
        <label className="flex items-center gap-2 text-sm">
          <span className="sr-only">Project</span>
          <select
            aria-label="Project"
            value={current.id}
            onChange={(event) => router.push(pathname.replace(current.id, event.target.value))}
            className="rounded-md border border-zinc-300 bg-white px-2 py-1 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          >
            {projects.map((project) => (
              <option key={project.id} value={project.id}>
                {project.organizationName} / {project.name}
              </option>
            ))}
          </select>
        </label>
        <nav className="flex gap-1 text-sm">
          {tabs.map((tab) => {
            const active = tab.href === base ? pathname === base : pathname.startsWith(tab.href);
            return (
              <Link
                key={tab.href}
                href={tab.href}
                aria-current={active ? "page" : undefined}
                className={`rounded-md px-3 py-1.5 ${active ? "bg-zinc-100 font-medium dark:bg-zinc-800" : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800"}`}
              >
                {tab.label}
              </Link>
            );
          })}
        </nav>
        <div className="ml-auto flex min-w-0 items-center gap-3 text-sm">
          {/* Eight tabs fill a laptop's header: the account shows in full on wide screens only. */}
          <span
            className="hidden truncate text-zinc-500 2xl:inline"
            title={`${user.email} · ${current.role}`}
          >
            {user.email} · {current.role}
          </span>
          <Button
            variant="ghost"
            title={`Signed in as ${user.email} (${current.role})`}
            onClick={async () => {
              await authClient.signOut();
              router.replace("/sign-in");
              router.refresh();
            }}
          >
            Sign out
          </Button>
        </div>
      </div>
    </header>
  );
}
