import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import type { ReactNode } from "react";
import { sessionUser } from "@/auth/auth.ts";
import { AppHeader } from "@/components/app-header.tsx";
import { listProjectsForUser } from "@/domain/tenancy/projects.ts";
import { demoFleet } from "@/server/runtime.ts";

export const dynamic = "force-dynamic";

export default async function ProjectLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ projectId: string }>;
}) {
  const user = await sessionUser(await headers());
  if (!user) redirect("/sign-in");
  const { projectId } = await params;
  const projects = await listProjectsForUser(user.id);
  const current = projects.find((project) => project.id === projectId);
  if (!current) notFound();
  return (
    <div className="min-h-screen">
      <AppHeader
        user={user}
        projects={projects}
        current={current}
        demo={demoFleet()?.projectId === current.id}
      />
      <main className="mx-auto max-w-6xl px-6 py-8">{children}</main>
    </div>
  );
}
